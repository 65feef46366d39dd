#!/usr/bin/env python3
"""MammoSeg's DICOM decoding against pydicom (+ pylibjpeg, pylibjpeg-libjpeg, pylibjpeg-openjpeg),
file by file, over any folder of DICOMs (a corpus from make_dicom_corpus.py, a public collection,
real mammograms):

    python3 scripts/check_dicom_corpus.py DIR... [--mammoseg .build/release/mammoseg] [--time]

For every file that pydicom decodes as a grayscale single-frame image, `mammoseg convert FILE
OUT.npy` must give the same stored values (lossless syntaxes) or values within ±2 (lossy ones).
Colour files must get exactly one `error:` line and an exit status 1-127; multi-frame files are
compared frame by frame (--frame N); files pydicom cannot decode have no oracle: mammoseg may decode
them or refuse them with one error line, but never crash. Prints one line per
file and a closing 'N passed, N failed' line; exits 1 on any failure.
`--time` also times both decoders on each file (median of 3) for docs/decoding.md.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pydicom

LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81",
         "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.203"}


def dicom_files(folders):
    for folder in folders:
        if os.path.isfile(folder):
            yield folder
            continue
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    head = f.read(132)
                if head[128:132] == b"DICM" or name.lower().endswith((".dcm", ".dicom")):
                    yield path


def pydicom_decode(path):
    # force: raw data sets without the Part 10 preamble are read too, as mammoseg reads them.
    ds = pydicom.dcmread(path, force=True)
    return ds, ds.pixel_array


def median_seconds(action, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--mammoseg", default=".build/release/mammoseg")
    parser.add_argument("--time", action="store_true")
    args = parser.parse_args()
    passed = failed = 0
    out = os.path.join(tempfile.mkdtemp(), "stored.npy")
    for path in dicom_files(args.folders):
        name = os.path.relpath(path)
        try:
            ds, expected = pydicom_decode(path)
            syntax = str(ds.file_meta.TransferSyntaxUID) if "TransferSyntaxUID" in getattr(ds, "file_meta", {}) else "raw data set"
            frames = int(ds.get("NumberOfFrames", 1) or 1)
            grayscale = int(ds.get("SamplesPerPixel", 1)) == 1
        except Exception as error:  # pydicom cannot decode it: mammoseg must refuse it cleanly
            syntax, expected, frames, grayscale = None, None, 1, True
            reason = f"pydicom: {type(error).__name__}"
        command = [args.mammoseg, "convert", path, out] + (["--frame", "1"] if frames > 1 else [])
        result = subprocess.run(command, capture_output=True, text=True)
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        if expected is None:
            # Nothing to compare with: mammoseg may decode it, or refuse it with one error line, never crash.
            clean_refusal = 0 < result.returncode < 128 and len(errors) == 1
            ok = result.returncode == 0 or clean_refusal
            what = reason
            detail = errors[0] if errors else ("decoded (no oracle)" if result.returncode == 0
                                               else f"exit {result.returncode}, stderr {result.stderr.strip()[:200]!r}")
        elif not grayscale:
            ok = 0 < result.returncode < 128 and len(errors) == 1
            what = "colour"
            detail = errors[0] if errors else f"exit {result.returncode}, stderr {result.stderr.strip()[:200]!r}"
        elif result.returncode != 0:
            ok, what, detail = False, syntax, result.stderr.strip()[:300]
        else:
            tolerance = 2 if syntax in LOSSY else 0
            ok, worst, detail = True, 0, ""
            for frame in range(frames):
                if frame > 0:  # every further frame through its own --frame run
                    frame_command = [args.mammoseg, "convert", path, out, "--frame", str(frame + 1)]
                    if subprocess.run(frame_command, capture_output=True, text=True).returncode != 0:
                        ok, detail = False, f"frame {frame + 1} was refused"
                        break
                got = np.load(out)
                want = (expected[frame] if frames > 1 else expected).astype(np.int64)
                if got.shape != want.shape:
                    ok, detail = False, f"frame {frame + 1}: shape {got.shape} != pydicom's {want.shape}"
                    break
                worst = max(worst, int(np.abs(got.astype(np.int64) - want).max()))
            if ok:
                ok = worst <= tolerance
                detail = (f"max |Δ| {worst} (allowed {tolerance}), {want.shape[1]}x{want.shape[0]}, {ds.BitsStored} bits"
                          + (f", {frames} frames" if frames > 1 else ""))
            what = syntax
            if ok and args.time:
                ours = median_seconds(lambda: subprocess.run(command, capture_output=True, check=True))
                theirs = median_seconds(lambda: pydicom.dcmread(path).pixel_array)
                detail += f", mammoseg {ours:.3f} s (process), pydicom {theirs:.3f} s"
        passed += ok
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name} ({what}): {detail}", flush=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
