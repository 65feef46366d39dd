#!/usr/bin/env python3
"""The exam benchmark's Python pipeline (scripts/bench_exam.sh): what `mammoseg predict` does to raw
DICOMs, written the way a researcher would with the usual libraries, from files to written maps.

    python3 scripts/bench_exam_reference.py --checkpoint CK.safetensors --out DIR [--threads N]
        [--longest-side 640] FILE.dcm...

Per file: pydicom reads it (pylibjpeg-openjpeg decodes JPEG 2000); the stored range maps onto
[0, 1] (MONOCHROME1 inverted); the breast mask is found on a copy of longest side 512 (Pillow box
resize, Otsu's threshold lowered halfway to the background's mean, film borders: edge rows and
columns ≥ 90 % bright, opening, largest component, holes filled: numpy and scipy.ndimage); the
image is mirrored so the chest wall is left, cropped to the breast box plus 2 % and resized to the
policy's longest side (Pillow, box filter); the reference network (../shared/reference/models.py,
loaded from the same safetensors checkpoint as scripts/load_in_pytorch.py loads it) runs in eval
mode, channels-last, under torch.no_grad with torch.set_num_threads(N); softmax; the map is
resized back (Pillow, bilinear), put into the source grid, mirrored back, zeroed off the breast
and written as a 16-bit PNG (Pillow, its default compression), DIR/NAME_probability.png.
"""
import argparse
import os
import sys
import time

import numpy as np
import pydicom
import torch
from PIL import Image
from safetensors import safe_open
from scipy import ndimage

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(ROOT), "shared", "reference"))
sys.path.insert(0, "/work/shared/reference")
from models import ARCHS  # noqa: E402

WORKING_SIDE = 512


def load_model(path, arch, width):
    with safe_open(path, "pt") as f:
        meta = f.metadata() or {}
        state = {k: f.get_tensor(k) for k in f.keys() if not k.startswith("optimizer.")}
    arch, width = meta.get("arch", arch), float(meta.get("width", width))
    model = ARCHS[arch](width).eval()
    expected = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    if expected != set(state):
        sys.exit(f"error: {path}: not a {arch} width {width} state_dict")
    model.load_state_dict(state, strict=False)
    return model.to(memory_format=torch.channels_last)


def read(path):
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array.astype(np.float32) / float((1 << int(ds.BitsStored)) - 1)
    if ds.PhotometricInterpretation == "MONOCHROME1":
        pixels = 1 - pixels
    return pixels


def otsu_lowered(values):
    histogram, edges = np.histogram(values, bins=1024)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(histogram)
    total = weight[-1]
    below = np.cumsum(histogram * centres)
    mean_below = below / np.maximum(weight, 1)
    mean_above = (below[-1] - below) / np.maximum(total - weight, 1)
    between = weight * (total - weight) * (mean_below - mean_above) ** 2
    b = int(np.argmax(between[:-1]))
    return (edges[b + 1] + mean_below[b]) / 2


def breast_mask(image):
    """The breast at the working size (bool), or None when nothing stands out."""
    h, w = image.shape
    f = min(1.0, WORKING_SIDE / max(h, w))
    small = np.asarray(Image.fromarray(image).resize((max(1, round(w * f)), max(1, round(h * f))), Image.BOX))
    small = ndimage.uniform_filter(small, 3)
    nonzero = small[small > 0]
    if nonzero.size == 0 or nonzero.min() == nonzero.max():
        return None
    bright = small > otsu_lowered(nonzero)
    sh, sw = bright.shape
    for rows in (range(sh // 4), range(sh - 1, sh - 1 - sh // 4, -1)):
        for y in rows:
            if bright[y].mean() < 0.9:
                break
            bright[y] = False
    left, right = bright[:, : sw // 2].sum(), bright[:, sw - sw // 2:].sum()
    if left != right:
        columns = range(sw // 4) if left < right else range(sw - 1, sw - 1 - sw // 4, -1)
        for x in columns:
            if bright[:, x].mean() < 0.9:
                break
            bright[:, x] = False
    r = max(1, round(0.02 * max(sh, sw)))
    opened = ndimage.binary_opening(bright, structure=np.ones((2 * r + 1, 2 * r + 1), bool))
    labels, count = ndimage.label(opened, structure=np.ones((3, 3), bool))
    if count == 0:
        return None
    largest = labels == (1 + int(np.argmax(np.bincount(labels.ravel())[1:])))
    return ndimage.binary_fill_holes(largest)


def predict(model, image, longest_side):
    h, w = image.shape
    small_mask = breast_mask(image)
    if small_mask is None:
        mask = np.ones((h, w), bool)
    else:
        mask = np.asarray(Image.fromarray(small_mask.astype(np.uint8) * 255).resize((w, h), Image.BILINEAR)) >= 128
    flipped = mask[:, : w // 2].sum() < mask[:, w - w // 2:].sum()   # chest wall on the right
    ys, xs = np.nonzero(mask)
    margin = round(0.02 * max(np.ptp(ys) + 1, np.ptp(xs) + 1))
    y0, y1 = max(0, ys.min() - margin), min(h, ys.max() + 1 + margin)
    x0, x1 = max(0, xs.min() - margin), min(w, xs.max() + 1 + margin)
    crop = np.where(mask, image, 0)[y0:y1, x0:x1]
    if flipped:
        crop = crop[:, ::-1]
    ch, cw = crop.shape
    scale = longest_side / max(ch, cw)
    pw, ph = max(1, round(cw * scale)), max(1, round(ch * scale))
    prepared = np.asarray(Image.fromarray(np.ascontiguousarray(crop)).resize((pw, ph), Image.BOX))
    padded = np.zeros(((ph + 31) // 32 * 32, (pw + 31) // 32 * 32), np.float32)
    padded[:ph, :pw] = prepared
    x = torch.from_numpy(padded)[None, None].contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        p = torch.softmax(model(x), 1)[0, 1, :ph, :pw].numpy()
    back = np.asarray(Image.fromarray(np.ascontiguousarray(p)).resize((cw, ch), Image.BILINEAR))
    if flipped:
        back = back[:, ::-1]
    out = np.zeros((h, w), np.float32)
    out[y0:y1, x0:x1] = back
    out *= mask
    return np.round(np.clip(out, 0, 1) * 65535).astype(np.uint16)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--longest-side", type=int, default=640)
    parser.add_argument("--arch", default="dilated-resize", help="for checkpoints without metadata")
    parser.add_argument("--width", type=float, default=1.0, help="for checkpoints without metadata")
    args = parser.parse_args()
    start = time.perf_counter()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    model = load_model(args.checkpoint, args.arch, args.width)
    for path in args.files:
        name = os.path.splitext(os.path.basename(path))[0]
        Image.fromarray(predict(model, read(path), args.longest_side)).save(os.path.join(args.out, name + "_probability.png"))
    print(f"wrote {len(args.files)} map(s) to {args.out} in {time.perf_counter() - start:.2f} s with {args.threads} thread(s)")


if __name__ == "__main__":
    main()
