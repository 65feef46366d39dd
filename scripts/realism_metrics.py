#!/usr/bin/env python3
"""Texture realism of mammograms, the independent numpy implementation of MammoSeg's
`TextureRealism` (the tests compare the two patch by patch):

  longer side scaled to 512 px by a box (area-averaging) filter; breast = pixels > 15 % of the
  scaled image's maximum; 64x64 patches, stride 32, wholly inside the breast; per patch
  CV = std/mean and beta = -slope of log radially-averaged power vs log radius over radii
  3-16 cycles/patch of the mean-removed, Hann-windowed patch's |FFT|^2.

  python3 scripts/realism_metrics.py IMAGE_OR_FOLDER... [--json OUT]

Prints medians and IQRs; --json writes every patch (file, x, y, cv, beta).
"""
import argparse, json, os, sys
import numpy as np
from PIL import Image

LONGER, PATCH, STRIDE, FRACTION = 512, 64, 32, 0.15


def box_matrix(n_in, n_out):
    """Row o averages input interval [o*s, (o+1)*s), s = n_in/n_out, weighted by overlap."""
    s = n_in / n_out
    m = np.zeros((n_out, n_in))
    edges_in = np.arange(n_in + 1, dtype=np.float64)
    for o in range(n_out):
        lo, hi = o * s, (o + 1) * s
        overlap = np.clip(np.minimum(hi, edges_in[1:]) - np.maximum(lo, edges_in[:-1]), 0, None)
        m[o] = overlap / s
    return m


def scaled(img):
    h, w = img.shape
    longer = max(h, w)
    if longer <= LONGER:
        return img
    factor = longer / LONGER
    nh = LONGER if h == longer else max(1, int(np.floor(h / factor + 0.5)))
    nw = LONGER if w == longer else max(1, int(np.floor(w / factor + 0.5)))
    return box_matrix(h, nh) @ img @ box_matrix(w, nw).T


def beta_of(patch):
    win = np.outer(np.hanning(PATCH), np.hanning(PATCH))
    power = np.abs(np.fft.fft2((patch - patch.mean()) * win)) ** 2
    k = np.fft.fftfreq(PATCH) * PATCH
    radius = np.rint(np.hypot(*np.meshgrid(k, k, indexing="ij"))).astype(int)
    rs = np.arange(3, 17)
    mean_power = np.array([power[radius == r].mean() for r in rs])
    slope = np.polyfit(np.log(rs), np.log(mean_power), 1)[0]
    return -slope


def patches(path):
    img = scaled(np.asarray(Image.open(path), dtype=np.float64))
    breast = img > FRACTION * img.max()
    out = []
    h, w = img.shape
    for y in range(0, h - PATCH + 1, STRIDE):
        for x in range(0, w - PATCH + 1, STRIDE):
            if not breast[y:y + PATCH, x:x + PATCH].all():
                continue
            p = img[y:y + PATCH, x:x + PATCH]
            out.append(dict(file=os.path.basename(path), x=x, y=y, cv=float(p.std() / p.mean()), beta=float(beta_of(p))))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--json")
    a = ap.parse_args()
    files = []
    for p in a.paths:
        files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".png")) if os.path.isdir(p) else [p]
    rows = [r for f in files for r in patches(f)]
    if not rows:
        sys.exit("error: no 64x64 patch lies wholly inside a breast; give mammograms of 512 px or more")
    for key in ("cv", "beta"):
        v = np.array([r[key] for r in rows])
        q1, med, q3 = np.percentile(v, [25, 50, 75])
        print(f"{key}: median {med:.4f} (IQR {q1:.4f}-{q3:.4f})")
    print(f"{len(files)} images, {len(rows)} patches")
    if a.json:
        json.dump(rows, open(a.json, "w"))


if __name__ == "__main__":
    main()
