#!/usr/bin/env python3
"""Writes a corpus of mammogram-like DICOMs in every syntax MammoSeg decodes, each encoded by
someone else's encoder: DCMTK (dcmcjpeg, dcmcjpls, dcmcrle), GDCM (gdcmconv), OpenJPEG
(opj_compress, encapsulated by pydicom) and pydicom with pylibjpeg-openjpeg.

    python3 scripts/make_dicom_corpus.py OUT [--size 1200x800] [--quick]
    python3 scripts/check_dicom_corpus.py OUT --mammoseg .build/release/mammoseg

The images: a breast-like dome with smooth gradients, texture and noise over a dark background,
with the extremes of the stored range present, at 8, 12, 14 and 16 bits, unsigned and signed,
MONOCHROME2 and MONOCHROME1. `--size` 4736x2624 makes full-field sizes (for the timing table).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian, JPEG2000, JPEG2000Lossless, generate_uid

DIGITAL_MAMMOGRAPHY = "1.2.840.10008.5.1.4.1.1.1.2"


def phantom(rows, cols, bits, signed, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:cols].astype(np.float64)
    dome = np.clip(1 - ((x / cols) ** 2 + ((y - rows / 2) / (rows / 1.6)) ** 2), 0, 1) ** 0.4
    texture = np.zeros((rows, cols))
    for scale in (4, 16, 64):
        small = rng.normal(size=(rows // scale + 2, cols // scale + 2))
        texture += np.kron(small, np.ones((scale, scale)))[:rows, :cols] / scale ** 0.3
    image = dome * (0.55 + 0.08 * texture) + rng.normal(0, 0.01, size=(rows, cols))
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    values = np.clip(np.round(lo + image * (hi - lo)), lo, hi).astype(np.int64)
    values[0, 0], values[-1, -1] = lo, hi
    return values


def base_dataset(values, bits, signed, photometric="MONOCHROME2"):
    rows, cols = values.shape
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = DIGITAL_MAMMOGRAPHY
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = DIGITAL_MAMMOGRAPHY, ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientID, ds.ImageLaterality, ds.ViewPosition = "MG", "CORPUS", "L", "CC"
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, photometric
    ds.Rows, ds.Columns = rows, cols
    ds.BitsAllocated = 8 if bits <= 8 else 16
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits - 1, int(signed)
    dtype = (np.int8 if signed else np.uint8) if bits <= 8 else (np.int16 if signed else np.uint16)
    ds.PixelData = values.astype(dtype).tobytes()
    return ds


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {result.stderr.strip() or result.stdout.strip()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--size", default="600x400", help="WIDTHxHEIGHT (default 600x400)")
    parser.add_argument("--quick", action="store_true", help="one variant per syntax and encoder")
    args = parser.parse_args()
    cols, rows = (int(v) for v in args.size.lower().split("x"))
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp()
    made, skipped = [], []

    def source(name, bits, signed, photometric="MONOCHROME2", seed=1):
        path = os.path.join(work, name + ".dcm")
        base_dataset(phantom(rows, cols, bits, signed, seed), bits, signed, photometric).save_as(path, enforce_file_format=True)
        return path

    def make(name, command_for):
        out = os.path.join(args.out, name + ".dcm")
        try:
            command_for(out)
            made.append(name)
        except Exception as error:  # an encoder that cannot do this variant: say so, go on
            skipped.append(f"{name}: {error}")

    variants = [(16, False, "MONOCHROME2"), (12, False, "MONOCHROME2"), (14, False, "MONOCHROME1"), (16, True, "MONOCHROME2")]
    if args.quick:
        variants = variants[:2]
    for bits, signed, photometric in variants:
        tag = f"{bits}{'s' if signed else 'u'}{'_mono1' if photometric == 'MONOCHROME1' else ''}"
        src = source(tag, bits, signed, photometric, seed=bits)
        # JPEG Lossless process 14 (DCMTK): SV1 and other predictors, fragments, empty offset table.
        make(f"dcmtk_jpeg_lossless_sv1_{tag}", lambda o: run(["dcmcjpeg", "+e1", src, o]))
        make(f"dcmtk_jpeg_lossless_sv6_{tag}", lambda o: run(["dcmcjpeg", "+el", "+sv", "6", src, o]))
        if not args.quick:
            make(f"dcmtk_jpeg_lossless_sv4_frag_{tag}", lambda o: run(["dcmcjpeg", "+el", "+sv", "4", "+fs", "16", "-ot", src, o]))
        make(f"gdcm_jpeg_lossless_{tag}", lambda o: run(["gdcmconv", "--jpeg", src, o]))
        # JPEG-LS (DCMTK, GDCM).
        make(f"dcmtk_jpegls_lossless_{tag}", lambda o: run(["dcmcjpls", "+el", src, o]))
        make(f"dcmtk_jpegls_near2_{tag}", lambda o: run(["dcmcjpls", "+en", "+md", "2", src, o]))
        make(f"gdcm_jpegls_lossless_{tag}", lambda o: run(["gdcmconv", "--jpegls", src, o]))
        # JPEG 2000 (GDCM, pydicom + pylibjpeg-openjpeg, OpenJPEG's opj_compress).
        make(f"gdcm_j2k_lossless_{tag}", lambda o: run(["gdcmconv", "--j2k", src, o]))
        make(f"gdcm_j2k_lossy_{tag}", lambda o: run(["gdcmconv", "--j2k", "--lossy", "-q", "55", src, o]))
        if not args.quick:
            # Many 4 KiB fragments per frame: compress, then split.
            make(f"gdcm_j2k_lossless_split_{tag}", lambda o: (run(["gdcmconv", "--j2k", src, o + ".tmp"]),
                                                              run(["gdcmconv", "--split", "4096", o + ".tmp", o]),
                                                              os.remove(o + ".tmp")))
        make(f"pydicom_j2k_lossless_{tag}", lambda o: pydicom_j2k(src, o, JPEG2000Lossless))
        make(f"opj_j2k_lossless_{tag}", lambda o: opj_j2k(src, o, work, bits, signed))
        # HTJ2K (OpenJPH's ojph_compress, encapsulated by pydicom).
        make(f"ojph_htj2k_lossless_{tag}", lambda o: opj_j2k(src, o, work, bits, signed, htj2k=True))
        if not args.quick:
            make(f"ojph_htj2k_lossy_{tag}", lambda o: opj_j2k(src, o, work, bits, signed, htj2k=True, lossy=True))
        # 12-bit extended and 8-bit baseline JPEG (DCMTK; libjpeg-turbo decodes 8-bit only).
        if bits == 12:
            make(f"dcmtk_jpeg_extended_{tag}", lambda o: run(["dcmcjpeg", "+ee", src, o]))
    src8 = source("8u", 8, False, seed=8)
    make("dcmtk_jpeg_baseline_8u", lambda o: run(["dcmcjpeg", "+eb", src8, o]))
    make("dcmtk_jpeg_extended_8u", lambda o: run(["dcmcjpeg", "+ee", src8, o]))
    make("dcmtk_jpeg_progressive_8u", lambda o: run(["dcmcjpeg", "+ep", src8, o]))
    make("dcmtk_jpeg_lossless_sv1_8u", lambda o: run(["dcmcjpeg", "+e1", src8, o]))
    make("dcmtk_jpegls_lossless_8u", lambda o: run(["dcmcjpls", "+el", src8, o]))
    make("gdcm_j2k_lossless_8u", lambda o: run(["gdcmconv", "--j2k", src8, o]))
    make("dcmtk_rle_16u", lambda o: run(["dcmcrle", source("rle16", 16, False, seed=3), o]))
    # Multi-frame: three JPEG-LS frames behind an Extended Offset Table (pydicom), JPEG lossless
    # frames behind a Basic Offset Table (DCMTK).
    make("pydicom_multiframe_eot_jpegls_12u", lambda o: multiframe_eot(o, work, rows, cols))
    # Colour (mammoseg refuses it with one error line): RGB through DCMTK's baseline encoder.
    make("dcmtk_colour_rgb_baseline", lambda o: run(["dcmcjpeg", "+eb", colour_source(work, rows, cols), o]))
    shutil.rmtree(work)
    print(f"{len(made)} files written to {args.out}")
    for line in skipped:
        print("skipped:", line, file=sys.stderr)


def multiframe_eot(out, work, rows, cols):
    """Three 12-bit frames, each a JPEG-LS codestream from dcmcjpls, behind an Extended Offset Table."""
    from pydicom.encaps import encapsulate_extended
    from pydicom.encaps import generate_frames
    frames = []
    for index in range(3):
        src = os.path.join(work, f"frame{index}.dcm")
        base_dataset(phantom(rows, cols, 12, False, seed=40 + index), 12, False).save_as(src, enforce_file_format=True)
        run(["dcmcjpls", "+el", src, src + ".jls.dcm"])
        compressed = pydicom.dcmread(src + ".jls.dcm")
        frames.append(next(generate_frames(compressed.PixelData, number_of_frames=1)))
    ds = pydicom.dcmread(src + ".jls.dcm")
    ds.NumberOfFrames = 3
    ds.PixelData, ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths = encapsulate_extended(frames)
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.save_as(out, enforce_file_format=True)


def colour_source(work, rows, cols):
    ds = base_dataset(phantom(rows, cols, 8, False, seed=5), 8, False)
    rgb = np.stack([phantom(rows, cols, 8, False, seed=s) for s in (5, 6, 7)], axis=-1).astype(np.uint8)
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = 3, "RGB", 0
    ds.PixelData = rgb.tobytes()
    path = os.path.join(work, "rgb.dcm")
    ds.save_as(path, enforce_file_format=True)
    return path


def pydicom_j2k(src, out, syntax):
    ds = pydicom.dcmread(src)
    ds.compress(syntax, encoding_plugin="pylibjpeg")
    ds.save_as(out, enforce_file_format=True)


def opj_j2k(src, out, work, bits, signed, htj2k=False, lossy=False):
    """opj_compress / ojph_compress read PGM (unsigned only): they encode the values as a raw
    codestream, then pydicom encapsulates it (JPEG 2000 Lossless, or the HTJ2K syntaxes)."""
    if signed:
        raise RuntimeError("opj_compress / ojph_compress take unsigned PGM input only")
    ds = pydicom.dcmread(src)
    values = ds.pixel_array.astype(np.uint16)
    pgm = os.path.join(work, "opj.pgm")
    with open(pgm, "wb") as f:
        f.write(f"P5\n{ds.Columns} {ds.Rows}\n{(1 << bits) - 1}\n".encode())
        f.write(values.astype(">u2" if bits > 8 else np.uint8).tobytes())
    if htj2k:
        j2k = os.path.join(work, "ojph.j2c")
        run(["ojph_compress", "-i", pgm, "-o", j2k] + (["-qstep", "0.001"] if lossy else ["-reversible", "true"]))
    else:
        j2k = os.path.join(work, "opj.j2k")
        run(["opj_compress", "-i", pgm, "-o", j2k])
    with open(j2k, "rb") as f:
        codestream = f.read()
    ds.file_meta.TransferSyntaxUID = ("1.2.840.10008.1.2.4.203" if lossy else "1.2.840.10008.1.2.4.201") if htj2k else JPEG2000Lossless
    ds.PixelData = encapsulate([codestream])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.save_as(out, enforce_file_format=True)


if __name__ == "__main__":
    main()
