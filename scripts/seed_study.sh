#!/usr/bin/env bash
# The seed study of issue 14: `mammoseg demo` with seeds 1-5 and the PyTorch reference
# (scripts/reference_train.py) with the same recipe, data and wall-clock budget, then one
# table: per seed the best validation Dice, whether the run collapsed (best validation Dice
# < 0.05 or a constant output), pooled test Dice on positive images, and the false-positive
# pixel rate of normal images overall and on their confounders; then the acceptance checks
# (no collapse; each seed's Dice >= 0.5 x PyTorch's mean; mean >= PyTorch's mean - 0.03).
#
#   bash scripts/seed_study.sh [OUT] [SEEDS...]       (default: seed-study, seeds 1 2 3 4 5)
#   MINUTES=8 THREADS=2 bash scripts/seed_study.sh    (the demo's default budget; threads for both)
#
# Runs take MINUTES of training each plus synthesis and evaluation: about 2 x 5 x 10 minutes
# with the defaults. Run on a quiet machine: both trainers get the same wall-clock budget.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-seed-study}; shift || true
SEEDS=("$@"); [ ${#SEEDS[@]} -gt 0 ] || SEEDS=(1 2 3 4 5)
MINUTES=${MINUTES:-8}
THREADS=${THREADS:-}
BIN=.build/release/mammoseg
[ -x "$BIN" ] || swift build -c release --product mammoseg
# The demo's recipe (DemoCommand's defaults), passed explicitly to both trainers.
SIZE=${SIZE:-128}; WIDTH=${WIDTH:-0.25}; BATCH=${BATCH:-8}; LR=${LR:-2e-3}; POS_WEIGHT=${POS_WEIGHT:-18}
DECAY_EVERY=${DECAY_EVERY:-40}; WARMUP=${WARMUP:-100}; COUNT=${COUNT:-400}; IMAGE_SIZE=${IMAGE_SIZE:-256}
SCALE_JITTER=${SCALE_JITTER:-0}
mkdir -p "$OUT"
for seed in "${SEEDS[@]}"; do
  run="$OUT/demo-seed$seed"
  if [ ! -f "$run/evaluation.json" ]; then
    rm -rf "$run"
    "$BIN" demo --out "$run" --seed "$seed" --minutes "$MINUTES" --count "$COUNT" --image-size "$IMAGE_SIZE" \
      --size "$SIZE" --width "$WIDTH" --batch "$BATCH" --lr "$LR" --pos-weight "$POS_WEIGHT" \
      --decay-every "$DECAY_EVERY" --warmup-steps "$WARMUP" --scale-jitter "$SCALE_JITTER" ${THREADS:+--threads "$THREADS"} > "$run.log" 2>&1
  fi
  if [ ! -f "$OUT/reference-seed$seed.json" ]; then
    python3 scripts/reference_train.py --data "$run/data" --minutes "$MINUTES" --size "$SIZE" --width "$WIDTH" \
      --batch "$BATCH" --lr "$LR" --pos-weight "$POS_WEIGHT" --decay-every "$DECAY_EVERY" --warmup-steps "$WARMUP" \
      --scale-jitter "$SCALE_JITTER" --seed "$seed" ${THREADS:+--threads "$THREADS"} --json "$OUT/reference-seed$seed.json" > "$OUT/reference-seed$seed.log" 2>&1
  fi
done
python3 - "$OUT" "${SEEDS[@]}" <<'PY'
import csv, json, math, os, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
def fmt(v, pct=False):
    if v is None or (isinstance(v, float) and math.isnan(v)): return "n/a"
    return f"{100 * v:.3f} %" if pct else f"{v:.3f}"
rows, ours, theirs, collapsed = [], [], [], []
for s in seeds:
    run = os.path.join(out, f"demo-seed{s}")
    ev = json.load(open(os.path.join(run, "evaluation.json")))
    metrics = list(csv.DictReader(open(os.path.join(run, "run", "metrics.csv"))))
    best = max((float(m["val_dice"]) for m in metrics if m.get("val_dice") not in (None, "", "nan")), default=float("nan"))
    log = open(os.path.join(run, "run", "log.txt")).read() if os.path.exists(os.path.join(run, "run", "log.txt")) else ""
    constant = "output was the same for every pixel" in log
    gone = constant or not best >= 0.05
    ref = json.load(open(os.path.join(out, f"reference-seed{s}.json")))
    ref_gone = not ref.get("best_val_dice", 0) >= 0.05
    dice = ev["segmentation"].get("pooledDice")
    neg = ev["negativeImages"]
    ours.append(dice or 0.0); theirs.append(ref["dice"]); collapsed.append(gone)
    rows.append([s, len(metrics), fmt(best), "yes" if gone else "no", fmt(dice), fmt(neg.get("falsePositiveRate"), True),
                 fmt(neg.get("confounderFalsePositiveRate"), True), ref.get("epochs", "n/a"), fmt(ref.get("best_val_dice")), "yes" if ref_gone else "no",
                 fmt(ref["dice"]), fmt(ref["fp_rate"], True), fmt(ref.get("fp_rate_confounders"), True)])
head = ["seed", "epochs", "val Dice", "collapsed", "test Dice", "FP normal", "FP confounders",
        "PT epochs", "PT val Dice", "PT collapsed", "PT test Dice", "PT FP normal", "PT FP confounders"]
print("| " + " | ".join(head) + " |"); print("|" + "---|" * len(head))
for r in rows: print("| " + " | ".join(str(c) for c in r) + " |")
mean_ours, mean_ref = statistics.mean(ours), statistics.mean(theirs)
print(f"\nMammoSeg mean test Dice {mean_ours:.3f}; PyTorch reference mean {mean_ref:.3f} (seeds {' '.join(seeds)}, {os.environ.get('MINUTES', '8')} min each)")
checks = [("no MammoSeg seed collapsed", not any(collapsed)),
          ("every seed's Dice >= 0.5 x PyTorch mean", all(d >= 0.5 * mean_ref for d in ours)),
          ("mean Dice >= PyTorch mean - 0.03", mean_ours >= mean_ref - 0.03)]
for name, ok in checks: print(f"{'PASS' if ok else 'FAIL'}  {name}")
ref_learned = [not (json.load(open(os.path.join(out, f"reference-seed{s}.json"))).get("best_val_dice", 0) < 0.05) for s in seeds]
if not any(ref_learned):
    print("WARNING  the PyTorch reference learned on no seed in this budget: the two comparisons above are void; "
          "run on a quiet machine or with a larger MINUTES")
    sys.exit(2)
sys.exit(0 if all(ok for _, ok in checks) else 1)
PY
