#!/usr/bin/env bash
# Chooses MammoSeg's Winograd channel threshold on this CPU: `mammoseg bench` inference with
# MammoSeg's Winograd off (MAMMOSEG_WINOGRAD=0: oneDNN direct, or oneDNN's own Winograd on
# AVX-512) and on for layers of at least 128, 64 and 32 channels in and out
# (MAMMOSEG_WINOGRAD_MIN_CHANNELS), alternating, RUNS times; prints the median inference
# images/s of each setting.
#   usage: scripts/bench_winograd.sh [RUNS] [-- bench args, default --size 640 --width 1.0 --batch 2]
# Run alone on the machine (benchmarks of OpenMP programs disturb each other).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] && shift
args=("$@"); [ ${#args[@]} -gt 0 ] || args=(--size 640 --width 1.0 --batch 2)
bin=${MAMMOSEG_BIN:-.build/release/mammoseg}
[ -x "$bin" ] || { echo "error: $bin not built; run 'make build' first" >&2; exit 1; }
log=$(mktemp); trap 'rm -f "$log"' EXIT
for i in $(seq 1 "$runs"); do
  for setting in off 128 64 32; do
    if [ "$setting" = off ]; then
      line=$(MAMMOSEG_WINOGRAD=0 "$bin" bench --steps 3 "${args[@]}")
    else
      line=$(MAMMOSEG_WINOGRAD=1 MAMMOSEG_WINOGRAD_MIN_CHANNELS=$setting "$bin" bench --steps 3 "${args[@]}")
    fi
    echo "run $i $setting $line" | tee -a "$log" >&2
  done
done
python3 - "$log" <<'PY'
import re, statistics, sys
values = {}
for line in open(sys.argv[1]):
    setting = line.split()[2]
    infer = re.search(r"infer_img_per_s=([0-9.]+)", line)
    if infer: values.setdefault(setting, []).append(float(infer.group(1)))
base = statistics.median(values["off"])
for setting, xs in values.items():
    name = "MammoSeg's Winograd off" if setting == "off" else f"Winograd for >= {setting} channels"
    print(f"{name:34s} inference {statistics.median(xs):8.2f} img/s (median of {len(xs)})  x{statistics.median(xs) / base:.2f}")
PY
