#!/usr/bin/env bash
# Runs `mammoseg bench`, the PyTorch reference (../shared/reference/bench.py, its best
# configuration --channels-last) and the same network exported by `mammoseg export` in
# onnxruntime and OpenVINO (default precision and f32; scripts/bench_onnx.py) alternately,
# several times, on this machine, and prints the median of each figure and MammoSeg's ratios.
#   usage: scripts/bench_compare.sh [RUNS] [-- extra args for both, e.g. --size 640 --width 1.0 --batch 2]
#   MAMMOSEG_BIN=path compares another build (e.g. a copy of the binary before a change).
# Needs: a release build (make build), `pip install torch==2.13.0+cpu safetensors`, and for the
# ONNX runtimes `pip install onnxruntime openvino` (left out, with a note, when missing).
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
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT
onnx_runtimes=yes
python3 -c "import onnxruntime, openvino, safetensors" 2>/dev/null \
  || { onnx_runtimes=; echo "note: onnxruntime/openvino/safetensors missing; comparing with PyTorch only" >&2; }

# The network of the first bench line, with PyTorch's default initialisation, exported to ONNX.
export_model() {
  local arch width
  arch=$(grep -o 'arch=[^ ]*' <<<"$1" | cut -d= -f2); width=$(grep -o 'width=[^ ]*' <<<"$1" | cut -d= -f2)
  (cd "$reference" && python3 - "$arch" "$width" "$work/weights.safetensors" <<'PY'
import sys, torch
from safetensors.torch import save_file
from models import ARCHS
torch.manual_seed(0)
state = ARCHS[sys.argv[1]](float(sys.argv[2])).state_dict()
save_file({k: v.contiguous() for k, v in state.items() if not k.endswith("num_batches_tracked")}, sys.argv[3])
PY
  ) && "$bin" export --checkpoint "$work/weights.safetensors" --arch "$arch" --width "$width" --out "$work/model.onnx" >&2
}
for i in $(seq 1 "$runs"); do
  echo "run $i/$runs" >&2
  # Each command's own output is checked: a failed run must stop the script, not feed an empty line to the table.
  line=$("$bin" bench ${args[@]+"${args[@]}"}) || { echo "error: mammoseg bench failed" >&2; exit 1; }
  echo "mammoseg $line" | tee -a "$log" >&2
  if [ -n "$onnx_runtimes" ]; then
    [ -f "$work/model.onnx" ] || export_model "$line" || { echo "error: export for the ONNX runtimes failed" >&2; exit 1; }
    size=$(grep -o 'size=[^ ]*' <<<"$line" | cut -d= -f2); batch=$(grep -o 'batch=[^ ]*' <<<"$line" | cut -d= -f2)
    python3 scripts/bench_onnx.py "$work/model.onnx" --size "$size" --batch "$batch" > "$work/onnx.txt" \
      || { echo "error: scripts/bench_onnx.py failed" >&2; exit 1; }
    sed 's/^runtime=\([^ ]*\) /\1 /' "$work/onnx.txt" | tee -a "$log" >&2
  fi
  line=$(cd "$reference" && python3 bench.py --channels-last ${args[@]+"${args[@]}"}) \
    || { echo "error: $reference/bench.py failed" >&2; exit 1; }
  echo "pytorch $line" | tee -a "$log" >&2
done
python3 - "$log" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    who, rest = line.split(" ", 1)
    rows.setdefault(who, []).append(dict(kv.split("=") for kv in rest.split()))
head = rows["mammoseg"][0]
print(f"arch={head['arch']} size={head['size']} batch={head['batch']} width={head['width']} runs={len(rows['mammoseg'])}")
others = [who for who in rows if who != "mammoseg"]
print(f"{'figure':<18}{'mammoseg':>12}" + "".join(f"{who:>14}{'ratio':>8}" for who in others))
for k in ["train_img_per_s", "infer_img_per_s", "peak_rss_mb"]:
    m = statistics.median(float(r[k]) for r in rows["mammoseg"])
    cells = ""
    for who in others:
        values = [float(r[k]) for r in rows[who] if k in r]
        cells += f"{statistics.median(values):>14.2f}{m / statistics.median(values):>7.2f}x" if values else f"{'-':>14}{'':>8}"
    print(f"{k:<18}{m:>12.2f}{cells}")
fastest = max((statistics.median(float(r["infer_img_per_s"]) for r in rows[who]), who) for who in others)
m = statistics.median(float(r["infer_img_per_s"]) for r in rows["mammoseg"])
print(f"inference: mammoseg {m:.2f} img/s = {m / fastest[0]:.2f}x the fastest other ({fastest[1]}, {fastest[0]:.2f})")
PY
