#!/usr/bin/env python3
"""Writes a 4-view screening exam of digitised-film mammograms as DICOM, for the exam benchmark
(scripts/bench_exam.sh): LCC, LMLO, RCC, RMLO of one woman, 16-bit, rows × columns as CBIS-DDSM
scans are (default 4736 × 2624), right breasts stored mirrored, CBIS-DDSM's per-view PatientID
(`Mass-Test_P_00001_LEFT_CC`) and no laterality or spacing tags, and the film's artifacts: a
bright border strip along the top edge touching the breast, a text label and a lead marker.

    python3 scripts/make_exam.py OUT [--size 2624x4736] [--seed 1]

Writes OUT/uncompressed/*.dcm (Explicit VR Little Endian, CBIS-DDSM's transfer syntax) and
OUT/j2k/*.dcm (JPEG 2000 Lossless, encoded by pydicom with pylibjpeg-openjpeg, i.e. OpenJPEG).
The tissue is make_dicom_corpus.py's breast-like dome with multi-scale texture and noise.
"""
import argparse
import os
import sys

import numpy as np
import pydicom
from pydicom.uid import JPEG2000Lossless

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_dicom_corpus import base_dataset, phantom  # noqa: E402

VIEWS = [("LEFT", "CC"), ("LEFT", "MLO"), ("RIGHT", "CC"), ("RIGHT", "MLO")]


def film(rows, cols, seed):
    """A left breast (chest wall at column 0) on film, values 0…65535."""
    rng = np.random.default_rng(seed)
    tissue = phantom(rows, cols, 16, False, seed).astype(np.float64)
    y, x = np.mgrid[0:rows, 0:cols]
    # The dome spans the whole height; keep a half-ellipse breast, film base and fog around it.
    inside = (x / (0.8 * cols)) ** 2 + ((y - rows * 0.5) / (rows * 0.49)) ** 2 < 1
    image = np.where(inside, 8000 + 0.6 * tissue, 1800 + 400 * rng.standard_normal((rows, cols)))
    border = max(2, int(0.02 * rows))                  # unexposed strip, touching the breast
    image[:border] = 60000 + 800 * rng.standard_normal((border, cols))
    ly, lx = int(0.9 * rows), int(0.7 * cols)          # label, away from the chest wall
    label = image[ly:ly + int(0.05 * rows), lx:lx + int(0.22 * cols)]
    label[:] = np.where((np.arange(label.shape[1]) // 9) % 3 == 0, 52000, 63000)
    cy, cx, r = int(0.15 * rows), int(0.88 * cols), max(3, cols // 80)
    image[(y - cy) ** 2 + (x - cx) ** 2 < r * r] = 64000  # lead marker
    return np.clip(np.round(image), 0, 65535).astype(np.uint16)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--size", default="2624x4736", help="COLUMNSxROWS (default 2624x4736, CBIS-DDSM's size)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    cols, rows = (int(v) for v in args.size.lower().split("x"))
    for folder in ("uncompressed", "j2k"):
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
    for index, (side, view) in enumerate(VIEWS):
        image = film(rows, cols, args.seed * 10 + index)
        if side == "RIGHT":
            image = image[:, ::-1]
        ds = base_dataset(image.astype(np.int64), 16, False)
        ds.PatientID = f"Mass-Test_P_{args.seed:05d}_{side}_{view}"
        for keyword in ("ImageLaterality", "ViewPosition"):  # CBIS-DDSM has neither
            if keyword in ds:
                delattr(ds, keyword)
        name = f"{side[0]}{view}.dcm"
        plain = os.path.join(args.out, "uncompressed", name)
        ds.save_as(plain, enforce_file_format=True)
        compressed = pydicom.dcmread(plain)
        compressed.compress(JPEG2000Lossless, encoding_plugin="pylibjpeg")
        compressed.save_as(os.path.join(args.out, "j2k", name), enforce_file_format=True)
    print(f"wrote {len(VIEWS)} views of {cols}x{rows} to {args.out}/uncompressed and {args.out}/j2k")


if __name__ == "__main__":
    main()
