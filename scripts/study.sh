#!/usr/bin/env bash
# The study of issue 16, with repeats: every segmentation network trained by `mammoseg compare`
# for the same wall-clock budget on the same phantoms, 3 seeds each and 5 for dilated-resize and
# fcn-transpose; those two also from the trained classifier's encoder (--init, --freeze encoder),
# 5 seeds each. Then scripts/study_summary.py prints the tables of docs/results.md (mean and 95 %
# interval over seeds of Dice, false positives on normal images and on confounders, CEF of the map
# and of every upsampling layer, time to 90 % of the best validation Dice, the 5-epoch transfer
# experiment).
#
#   bash scripts/study.sh [OUT]                  (default: study)
#   MINUTES=4 LANES=2 THREADS=1 bash scripts/study.sh study
#   JOIN=1 LANES=1 bash scripts/study.sh study     (one more lane for a study already running)
#
# Resumable: each (variant, seed, network) is one `compare` run in OUT/VARIANT-sSEED-NETWORK; a
# finished one (results.json) is kept, an unfinished one is started again. LANES runs go side by
# side with THREADS threads each (2 x 1 uses both cores of a 2-core machine without OpenMP
# contention). 30 runs + the classifier: about 31 x (MINUTES + 0.5) / LANES minutes. Run it on a
# quiet machine: the budget is wall-clock.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-study}
MINUTES=${MINUTES:-4}; LANES=${LANES:-2}; THREADS=${THREADS:-1}
BIN=.build/release/mammoseg
[ -x "$BIN" ] || swift build -c release --product mammoseg
# The demo's recipe and width; 320² crops of 320² phantoms, since the FCN family needs a multiple of 320.
# IMAGE_SIZE=640 with SIZE=320 gives the FCN family the demo's lesion-centred crops.
SIZE=${SIZE:-320}; IMAGE_SIZE=${IMAGE_SIZE:-$SIZE}; WIDTH=${WIDTH:-0.25}; COUNT=${COUNT:-240}; DATA_SEED=${DATA_SEED:-1}
RECIPE=(--size "$SIZE" --width "$WIDTH" --batch 8 --lr 2e-3 --pos-weight 18 --decay-every 40 --warmup-steps 100
        --scale-jitter 0 --epochs 1000 --threads "$THREADS")
mkdir -p "$OUT"
if [ ! -f "$OUT/data/manifest.csv" ]; then
  rm -rf "$OUT/data"
  "$BIN" synth --out "$OUT/data" --count "$COUNT" --size "$IMAGE_SIZE" --seed "$DATA_SEED" > "$OUT/synth.log" 2>&1
fi
CLASSIFIER="$OUT/classifier/checkpoints/best.safetensors"

# Seed by seed, so that a study cut short still has whole seeds; the classifier first, since
# the transfer runs start from it.
jobs=(classifier)
for seed in 1 2 3 4 5; do
  archs=(dilated-resize fcn-transpose)
  [ "$seed" -le 3 ] && archs+=(dilated-transpose-first fcn-transpose-bottleneck fcn-hybrid)
  for arch in "${archs[@]}"; do jobs+=("scratch $seed $arch"); done
  for arch in dilated-resize fcn-transpose; do jobs+=("transfer $seed $arch"); done
done

say() { echo "$(date -u +%FT%TZ) $*" | tee -a "$OUT/timeline.log"; }

run_job() {  # VARIANT SEED ARCH
  local variant=$1 seed=$2 arch=$3 dir="$OUT/$1-s$2-$3"
  [ -f "$dir/results.json" ] && return 0
  rm -rf "$dir"
  local extra=()
  if [ "$variant" = transfer ]; then
    while [ ! -f "$OUT/classifier.done" ]; do [ -f "$OUT/classifier.failed" ] && return 1; sleep 10; done
    extra=(--init "$CLASSIFIER" --freeze encoder)
  fi
  say "start $variant-s$seed-$arch"
  "$BIN" compare --data "$OUT/data" --archs "$arch" --out "$dir" --minutes "$MINUTES" --seed "$seed" \
    "${RECIPE[@]}" "${extra[@]}" > "$dir.log" 2>&1
  say "done  $variant-s$seed-$arch"
}

run_classifier() {
  [ -f "$OUT/classifier.done" ] && return 0
  rm -rf "$OUT/classifier" "$OUT/classifier.failed"
  say "start classifier"
  if ! "$BIN" train --arch classifier --data "$OUT/data" --out "$OUT/classifier" --minutes "$MINUTES" --seed 1 \
      "${RECIPE[@]}" > "$OUT/classifier.log" 2>&1; then
    touch "$OUT/classifier.failed"; return 1
  fi
  touch "$OUT/classifier.done"
  say "done  classifier"
}

# Lanes take the next unclaimed job from a shared queue. JOIN=1 adds lanes to a study already
# running in OUT (another terminal, or another machine sharing the folder) instead of starting over.
QUEUE="$OUT/.queue"
[ "${JOIN:-0}" = 1 ] || rm -rf "$QUEUE"
mkdir -p "$QUEUE"
lane() {
  for i in "${!jobs[@]}"; do
    mkdir "$QUEUE/$i" 2>/dev/null || continue   # mkdir is atomic: one lane claims job i
    if [ "${jobs[$i]}" = classifier ]; then run_classifier; else run_job ${jobs[$i]}; fi
  done
}
pids=()
for _ in $(seq "$LANES"); do lane & pids+=($!); done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
[ "$status" = 0 ] || { echo "study.sh: a run failed; see the .log beside its folder in $OUT, then run again to resume" >&2; exit 1; }
python3 scripts/study_summary.py "$OUT"
