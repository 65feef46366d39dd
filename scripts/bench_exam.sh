#!/usr/bin/env bash
# Times a 4-view screening exam of full-size 16-bit film mammograms (default 2624 × 4736, as CBIS-DDSM
# scans are) from DICOM files to written probability maps — decode, breast mask, crop, resize,
# inference, map back to the source grid, 16-bit PNG — each as a whole process:
#   mammoseg   `mammoseg predict --no-overlay` on the 4 files (and, for reference, with its default
#              colour overlays too);
#   python     scripts/bench_exam_reference.py: pydicom (+ pylibjpeg-openjpeg), numpy/scipy/Pillow,
#              the PyTorch reference network channels-last under no_grad, at its best
#              torch.set_num_threads (tried first: 1, 2, 4, … up to the cores);
# on the exam stored uncompressed (Explicit VR Little Endian, CBIS-DDSM's syntax) and as JPEG 2000
# Lossless (encoded by pydicom + pylibjpeg-openjpeg, i.e. OpenJPEG). Both run the same checkpoint at the
# same scale: dilated-resize at --width (default 1.0, the study's network) with the default
# preprocessing policy (crop to the breast, longest side 640). Runs alternate; the table gives medians
# of wall time and of peak resident memory (/usr/bin/time -v), and MammoSeg's speed-up.
#
#   usage: scripts/bench_exam.sh [RUNS] [--size COLSxROWS] [--width W] [--checkpoint CK] [--keep DIR]
#   MAMMOSEG_BIN=path times another build.
# Needs: a release build (make build), /usr/bin/time, Python with torch 2.13.0+cpu, safetensors,
# numpy, scipy, Pillow, pydicom, pylibjpeg, pylibjpeg-openjpeg. Run it alone on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
size=2624x4736 width=1.0 checkpoint="" keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --width) width=$2; shift 2 ;;
    --checkpoint) checkpoint=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "error: $1: unknown option; see the usage line at the top of $0" >&2; exit 1 ;;
  esac
done
[ "$runs" -ge 1 ] || { echo "error: RUNS must be at least 1" >&2; exit 1; }
bin=$(realpath "${MAMMOSEG_BIN:-.build/release/mammoseg}")
[ -x "$bin" ] || { echo "error: $bin not built; run 'make build' first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time missing; apt-get install time" >&2; exit 1; }
python3 -c "import torch, safetensors, numpy, scipy, PIL, pydicom, pylibjpeg, openjpeg" 2>/dev/null \
  || { echo "error: Python packages missing; pip install torch==2.13.0+cpu safetensors numpy scipy pillow pydicom pylibjpeg pylibjpeg-openjpeg" >&2; exit 1; }

work=${keep:-$(mktemp -d "${TMPDIR:-/tmp}/bench-exam.XXXXXX")}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
echo "exam: 4 views of $size in $work" >&2
[ -f "$work/exam/j2k/RMLO.dcm" ] || python3 scripts/make_exam.py "$work/exam" --size "$size" >&2

if [ -z "$checkpoint" ]; then
  # Seeded PyTorch initialisation of the reference network, saved as load_in_pytorch.py reads it:
  # without a policy in its metadata, so both sides use the default (longest side 640).
  checkpoint="$work/dilated-resize-w$width.safetensors"
  python3 - "$checkpoint" "$width" <<'PY'
import os, sys, torch
from safetensors.torch import save_file
sys.path.insert(0, os.path.join(os.getcwd(), "..", "shared", "reference")); sys.path.insert(0, "/work/shared/reference")
from models import ARCHS
torch.manual_seed(1)
model = ARCHS["dilated-resize"](float(sys.argv[2])).eval()
state = {k: v.contiguous() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
save_file(state, sys.argv[1], metadata={"arch": "dilated-resize", "width": sys.argv[2], "size": "640"})
PY
fi

# One timed process: "SECONDS PEAK_MB" (wall clock and maximum resident set size).
timed() {
  local log="$work/time.txt"
  /usr/bin/time -v "$@" >"$work/out.txt" 2>"$log" || { cat "$work/out.txt" "$log" >&2; echo "error: $1 failed" >&2; exit 1; }
  python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1).split(":")
seconds = sum(float(v) * 60 ** i for i, v in enumerate(reversed(clock)))
peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
print(f"{seconds:.3f} {peak:.0f}")
PY
}

views=(LCC LMLO RCC RMLO)
files() { for v in "${views[@]}"; do echo "$work/exam/$1/$v.dcm"; done; }
mammoseg_run() { rm -rf "$work/maps-m"; timed "$bin" predict --checkpoint "$checkpoint" --out "$work/maps-m" --no-overlay $(files "$1"); }
overlay_run() { rm -rf "$work/maps-o"; timed "$bin" predict --checkpoint "$checkpoint" --out "$work/maps-o" $(files "$1"); }
python_run() { rm -rf "$work/maps-p"; timed python3 scripts/bench_exam_reference.py --checkpoint "$checkpoint" --out "$work/maps-p" --threads "$2" $(files "$1"); }

# PyTorch's best thread count on this machine, from one run each on the uncompressed exam.
cores=$(nproc) best="" best_time=""
for threads in 1 2 4 8 16 32 64; do
  [ "$threads" -le "$cores" ] || break
  t=$(python_run uncompressed "$threads" | cut -d' ' -f1)
  echo "python --threads $threads: $t s" >&2
  if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best_time else 1)"; then best=$threads best_time=$t; fi
done
echo "python: best with $best thread(s)" >&2

log="$work/runs.txt"; : >"$log"
for i in $(seq 1 "$runs"); do
  for syntax in uncompressed j2k; do
    echo "run $i/$runs $syntax" >&2
    echo "mammoseg $syntax $(mammoseg_run "$syntax")" | tee -a "$log" >&2
    echo "python $syntax $(python_run "$syntax" "$best")" | tee -a "$log" >&2
    echo "overlay $syntax $(overlay_run "$syntax")" | tee -a "$log" >&2
  done
done
# The two pipelines' maps of the last run agree inside the breast (same network, same scale).
python3 - "$work" <<'PY'
import sys
import numpy as np
from PIL import Image
work = sys.argv[1]
for view in ("LCC", "LMLO", "RCC", "RMLO"):
    m = np.asarray(Image.open(f"{work}/maps-m/{view}_probability.png"), np.float64) / 65535
    p = np.asarray(Image.open(f"{work}/maps-p/{view}_probability.png"), np.float64) / 65535
    both = (m > 0) & (p > 0)
    print(f"{view}: maps {m.shape[1]}x{m.shape[0]}, mean |mammoseg - python| inside both breast masks {np.abs(m - p)[both].mean():.4f}, "
          f"masks agree on {((m > 0) == (p > 0)).mean() * 100:.1f} % of pixels", file=sys.stderr)
PY
python3 - "$log" "$size" "$width" "$best" "$runs" <<'PY'
import statistics, sys
log, size, width, threads, runs = sys.argv[1:]
rows = {}
for line in open(log):
    who, syntax, seconds, mb = line.split()
    rows.setdefault((who, syntax), []).append((float(seconds), float(mb)))
med = lambda who, syntax, k: statistics.median(r[k] for r in rows[(who, syntax)])
print(f"4-view exam, {size} 16-bit DICOMs; dilated-resize width {width}, default policy (crop to the breast, longest side 640); "
      f"PyTorch with {threads} thread(s); medians of {runs} alternating runs")
print(f"| exam | MammoSeg s | Python s | speed-up | MammoSeg peak MB | Python peak MB | MammoSeg with overlays s |")
print(f"|---|---:|---:|---:|---:|---:|---:|")
for syntax, name in (("uncompressed", "uncompressed (Explicit VR LE)"), ("j2k", "JPEG 2000 lossless")):
    m, p = med("mammoseg", syntax, 0), med("python", syntax, 0)
    print(f"| {name} | {m:.2f} | {p:.2f} | **{p / m:.2f}×** | {med('mammoseg', syntax, 1):.0f} | {med('python', syntax, 1):.0f} | {med('overlay', syntax, 0):.2f} |")
PY
