#!/usr/bin/env bash
# Runs `mammoseg predict` on one full-size (3000 wide × 5000 tall) synthetic mammogram and
# prints the peak resident memory, to check that tiled prediction stays within 2 GB.
#
#   scripts/predict_large.sh [CHECKPOINT] [WIDTHxHEIGHT]
#
# Without CHECKPOINT, a tiny one is trained first with a 12-second `mammoseg demo` (the
# memory of predict depends on the image and tile size, not on how well the net is trained).
# Uses the release build (swift build -c release --product mammoseg) and /usr/bin/time -v.
# The large image is made with Python (numpy, Pillow): this is a helper, not the product.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/release/mammoseg"
[[ -x "$bin" ]] || { echo "error: $bin: not built; run swift build -c release --product mammoseg" >&2; exit 1; }
checkpoint=${1:-}
size=${2:-3000x5000}
work=$(mktemp -d "${TMPDIR:-/tmp}/predict-large.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -z "$checkpoint" ]]; then
    "$bin" demo --out "$work/demo" --minutes 0.2 --count 20 --image-size 128 --size 128 --width 0.25 \
        >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
    checkpoint="$work/demo/run/checkpoints/best.safetensors"
fi

# A breast-like phantom: 1/f² noise inside a half-ellipse, a few brighter blobs, 16-bit.
python3 - "$work/large.png" "${size%x*}" "${size#*x}" <<'PY'
import sys
import numpy as np
from PIL import Image
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
small = rng.standard_normal((height // 8, width // 8))
f = np.fft.fftfreq(small.shape[0])[:, None] ** 2 + np.fft.rfftfreq(small.shape[1])[None, :] ** 2
f[0, 0] = 1
noise = np.fft.irfft2(np.fft.rfft2(small) / f, s=small.shape)
noise = np.kron((noise - noise.mean()) / noise.std(), np.ones((8, 8)))[:height, :width]
y, x = np.mgrid[0:height, 0:width]
inside = (x / (0.9 * width)) ** 2 + ((y - height / 2) / (0.48 * height)) ** 2 < 1
tissue = np.clip(0.45 + 0.08 * noise, 0, 1) * inside
for cx, cy, r in [(0.3, 0.4, 60), (0.5, 0.6, 90), (0.2, 0.7, 40)]:
    tissue += 0.06 * np.clip(1 - ((x - cx * width) ** 2 + (y - cy * height) ** 2) / r**2, 0, 1) ** 1.5
Image.fromarray((np.clip(tissue, 0, 1) * 65535).astype(np.uint16)).save(path)
PY

/usr/bin/time -v "$bin" predict --checkpoint "$checkpoint" --out "$work/out" --mask "$work/large.png" \
    2>"$work/time.txt" | tail -1
ls "$work/out"
grep -E "Elapsed|Maximum resident" "$work/time.txt"
peak_kb=$(awk '/Maximum resident/ {print $6}' "$work/time.txt")
echo "image=$size peak_rss_mb=$((peak_kb / 1024))"
