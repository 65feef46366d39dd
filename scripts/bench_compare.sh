#!/usr/bin/env bash
# Runs `mammoseg bench` and the PyTorch reference (../shared/reference/bench.py, its best
# configuration --channels-last) alternately, several times, on this machine, and prints the
# median of each figure and MammoSeg's ratio to the reference.
#   usage: scripts/bench_compare.sh [RUNS] [-- extra args for both, e.g. --size 640 --width 1.0 --batch 2]
#   MAMMOSEG_BIN=path compares another build (e.g. a copy of the binary before a change).
# Needs: a release build (make build) and `pip install torch==2.13.0+cpu`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] && shift
args=("$@")
[ "$runs" -ge 1 ] || { echo "error: RUNS must be at least 1" >&2; exit 1; }
reference=${MAMMOSEG_REFERENCE:-../shared/reference}
bin=${MAMMOSEG_BIN:-.build/release/mammoseg}
[ -x "$bin" ] || { echo "error: $bin not built; run 'make build' first" >&2; exit 1; }
python3 -c "import torch" 2>/dev/null || { echo "error: PyTorch missing; pip install torch==2.13.0+cpu" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for i in $(seq 1 "$runs"); do
  echo "run $i/$runs" >&2
  # Each command's own output is checked: a failed run must stop the script, not feed an empty line to the table.
  line=$("$bin" bench ${args[@]+"${args[@]}"}) || { echo "error: mammoseg bench failed" >&2; exit 1; }
  echo "mammoseg $line" | tee -a "$log" >&2
  line=$(cd "$reference" && python3 bench.py --channels-last ${args[@]+"${args[@]}"}) \
    || { echo "error: $reference/bench.py failed" >&2; exit 1; }
  echo "pytorch $line" | tee -a "$log" >&2
done
python3 - "$log" <<'PY'
import sys, statistics, re
rows = {"mammoseg": [], "pytorch": []}
for line in open(sys.argv[1]):
    who, rest = line.split(" ", 1)
    rows[who].append(dict(kv.split("=") for kv in rest.split()))
keys = ["train_img_per_s", "infer_img_per_s", "peak_rss_mb"]
head = rows["mammoseg"][0]
print(f"arch={head['arch']} size={head['size']} batch={head['batch']} width={head['width']} runs={len(rows['mammoseg'])}")
print(f"{'figure':<18}{'mammoseg':>12}{'pytorch':>12}{'ratio':>9}")
for k in keys:
    m = statistics.median(float(r[k]) for r in rows["mammoseg"])
    p = statistics.median(float(r[k]) for r in rows["pytorch"])
    print(f"{k:<18}{m:>12.2f}{p:>12.2f}{m / p:>8.2f}x")
PY
