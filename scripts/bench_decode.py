#!/usr/bin/env python3
"""Decode timing, MammoSeg beside pydicom + pylibjpeg on the same files, in one run:

    python3 scripts/make_dicom_corpus.py /tmp/big --size 4736x2624 --quick
    python3 scripts/bench_decode.py /tmp/big/*.dcm [--repeat 5] [--mammoseg .build/release/mammoseg]

Both are timed in process from bytes in memory to the array of stored values (MammoSeg:
`mammoseg bench-decode`, median of --repeat; pydicom: dcmread from bytes + pixel_array, median of
--repeat). Run alone on the machine. Prints a Markdown table for docs/decoding.md.
"""
import argparse
import io
import os
import re
import statistics
import subprocess
import time

import pydicom


def pydicom_seconds(path, repeat):
    data = open(path, "rb").read()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        pydicom.dcmread(io.BytesIO(data)).pixel_array
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mammoseg", default=".build/release/mammoseg")
    args = parser.parse_args()
    print("| file | syntax | size | bits | MammoSeg s | pydicom + pylibjpeg s | speed-up |")
    print("|---|---|---|---:|---:|---:|---:|")
    for path in args.files:
        out = subprocess.run([args.mammoseg, "bench-decode", path, "--repeat", str(args.repeat)],
                             capture_output=True, text=True, check=True).stdout
        fields = dict(re.findall(r"(\w+)=(\S+)", out))
        ours = float(fields["median_s"])
        theirs = pydicom_seconds(path, args.repeat)
        name = pydicom.uid.UID(fields["syntax"]).name
        print(f"| {os.path.basename(path)} | {name} | {fields['size']} | {fields['bits']} | {ours:.3f} | {theirs:.3f} | {theirs / ours:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
