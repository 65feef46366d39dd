#!/usr/bin/env python3
"""Checks the DICOM Segmentations `mammoseg predict --dicom-seg` writes against tools nobody here
wrote: dciodvfy (dicom3tools) must print no error, highdicom must read the pixels back equal to
the PNG probability map within 1/255 by the source instance's UID, pydicom must find the source's
patient and study and references to its series and instance, and DCMTK's storescp must receive
the file over C-STORE from storescu on a free loopback port.

    python3 scripts/check_dicom_seg.py source OUT.dcm [--size 640x400] [--laterality L] [--implicit]
                                       [--seed N] [--no-mass | --mask MASK.png]
    python3 scripts/check_dicom_seg.py check SRC.dcm OUT/NAME [--threshold 0.5] [--no-network]

`source` writes a mammogram-like Digital Mammography image (12 bits in 16, 0.1 mm pixels, full
Patient, Study, Series and Equipment modules, a UTF-8 patient name) with a dense mass or none. `check` takes the source and the stem
predict wrote (OUT/NAME_seg.dcm, OUT/NAME_probability.png, OUT/NAME_seg_binary.dcm if present);
it works on any source DICOM, real mammograms included. Exit status 0 when every check passes.
"""
import argparse
import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

DIGITAL_MAMMOGRAPHY = "1.2.840.10008.5.1.4.1.1.1.2"
SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4"

failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def make_source(args):
    cols, rows = (int(v) for v in args.size.lower().split("x"))
    rng = np.random.default_rng(args.seed)
    y, x = np.mgrid[0:rows, 0:cols].astype(np.float64)
    # A breast against the chest wall (left edge for R as stored here, right for L), textured, with a dense mass.
    wall = x if args.laterality == "R" else cols - 1 - x
    r = np.sqrt((wall / (0.6 * cols)) ** 2 + ((y - rows / 2) / (0.45 * rows)) ** 2)
    texture = sum(np.kron(rng.normal(size=(rows // s + 2, cols // s + 2)), np.ones((s, s)))[:rows, :cols] / s ** 0.3
                  for s in (4, 16, 64))
    breast = np.clip(1 - r, 0, 1) ** 0.3 * (0.6 + 0.05 * texture)
    mass = np.exp(-(((wall - 0.3 * cols) / (0.05 * cols)) ** 2 + ((y - 0.45 * rows) / (0.05 * cols)) ** 2))
    if args.no_mass:
        mass = np.zeros_like(mass)
    image = np.where(r < 1, breast + 0.15 * mass, 0.03) + rng.normal(0, 0.005, size=(rows, cols))
    if args.mask:
        from PIL import Image  # highdicom's own dependency
        Image.fromarray(np.where((r < 1) & (mass > 0.5), 255, 0).astype(np.uint8)).save(args.mask)
    values = np.clip(np.round(image * 4095), 0, 4095).astype(np.uint16)

    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = DIGITAL_MAMMOGRAPHY
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if args.implicit else ExplicitVRLittleEndian
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.SOPClassUID, ds.SOPInstanceUID = DIGITAL_MAMMOGRAPHY, ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyDate, ds.SeriesDate, ds.ContentDate = "20240315", "20240315", "20240315"
    ds.StudyTime, ds.SeriesTime, ds.ContentTime = "093012", "093012", "093015"
    ds.AccessionNumber, ds.Modality, ds.Manufacturer = "ACC12345", "MG", "Phantom Imaging"
    ds.ReferringPhysicianName = "Doe^Jane"
    ds.StudyDescription, ds.SeriesDescription = "Screening mammography", "L CC" if args.laterality == "L" else "R CC"
    ds.PatientName = "Müller^Anna"
    ds.PatientID, ds.IssuerOfPatientID = "P-0042", "PHANTOM"
    ds.PatientBirthDate, ds.PatientSex, ds.PatientAge = "19640212", "F", "060Y"
    ds.BodyPartExamined, ds.ViewPosition = "BREAST", "CC"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.StudyID, ds.SeriesNumber, ds.InstanceNumber = "7", 1, 1
    ds.PatientOrientation = ["P", "L"] if args.laterality == "R" else ["A", "R"]
    ds.ImageLaterality = args.laterality
    ds.PresentationIntentType = "FOR PRESENTATION"
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows, ds.Columns = rows, cols
    ds.PixelSpacing = ImagerPixelSpacing = [0.1, 0.1]
    ds.ImagerPixelSpacing = ImagerPixelSpacing
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.WindowCenter, ds.WindowWidth = 2048, 4096
    ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = 0, 1, "US"
    # The rest of the Mammography Image and DX modules, so that the source itself is valid.
    def code(value, scheme, meaning):
        item = Dataset()
        item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
        return item
    ds.AnatomicRegionSequence = [code("76752008", "SCT", "Breast")]
    ds.ViewCodeSequence = [code("399162004", "SCT", "cranio-caudal")]
    ds.ViewCodeSequence[0].ViewModifierCodeSequence = []
    ds.PixelIntensityRelationship, ds.PixelIntensityRelationshipSign = "LOG", 1
    ds.PresentationLUTShape, ds.LossyImageCompression, ds.BurnedInAnnotation = "IDENTITY", "00", "NO"
    ds.DetectorType, ds.PositionerType, ds.OrganExposed = "DIRECT", "MAMMOGRAPHIC", "BREAST"
    ds.AcquisitionContextSequence = []
    ds.PixelData = values.tobytes()
    ds.save_as(args.out, enforce_file_format=True, little_endian=True, implicit_vr=args.implicit)
    print(f"wrote {args.out} ({cols}x{rows}, {args.laterality}, {'implicit' if args.implicit else 'explicit'} VR)")


def dciodvfy(path):
    if shutil.which("dciodvfy") is None:
        check(False, "dciodvfy is installed (Debian dicom3tools; scripts/setup_test_tools.sh)")
        return
    result = subprocess.run(["dciodvfy", "-new", path], capture_output=True, text=True, timeout=60)
    lines = (result.stdout + result.stderr).splitlines()
    errors = [line for line in lines if line.startswith("Error")]
    for line in lines:
        if line.startswith(("Error", "Warning")):
            print("      dciodvfy: " + line)
    check(not errors, f"dciodvfy -new {os.path.basename(path)}: no errors ({len(errors)} error lines)")


def references(seg, source):
    check(seg.SOPInstanceUID.startswith("2.25.") and seg.SeriesInstanceUID.startswith("2.25."), "new UIDs under 2.25")
    check(seg.SOPInstanceUID != source.SOPInstanceUID and seg.SeriesInstanceUID != source.SeriesInstanceUID,
          "the SEG has its own instance and series")
    for keyword in ["PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyDate",
                    "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber", "SpecificCharacterSet"]:
        if keyword in source:
            check(str(seg.get(keyword)) == str(source.get(keyword)), f"{keyword} copied ({seg.get(keyword)!s})")
    laterality = source.get("ImageLaterality") or source.get("Laterality")
    if laterality in ("L", "R"):
        check(seg.get("ImageLaterality") == laterality, f"ImageLaterality {seg.get('ImageLaterality')} = the source's {laterality}")
        region = seg.SegmentSequence[0].AnatomicRegionSequence[0]
        modifier = region.AnatomicRegionModifierSequence[0] if "AnatomicRegionModifierSequence" in region else None
        check(modifier is not None and modifier.CodeMeaning == {"L": "Left", "R": "Right"}[laterality],
              f"the segment's region {region.CodeMeaning} is modified by the side ({modifier.CodeMeaning if modifier else None})")
    check((seg.Rows, seg.Columns) == (source.Rows, source.Columns), f"rows x columns {seg.Rows}x{seg.Columns} = the source's")
    series = seg.ReferencedSeriesSequence[0]
    instance = series.ReferencedInstanceSequence[0]
    check(series.SeriesInstanceUID == source.SeriesInstanceUID
          and instance.ReferencedSOPInstanceUID == source.SOPInstanceUID
          and instance.ReferencedSOPClassUID == source.SOPClassUID,
          "Common Instance Reference names the source series and instance")
    derivation = seg.PerFrameFunctionalGroupsSequence[0].DerivationImageSequence[0].SourceImageSequence[0]
    check(derivation.ReferencedSOPInstanceUID == source.SOPInstanceUID, "Derivation Image names the source instance")


def highdicom_pixels(path, source_uid):
    import highdicom as hd
    seg = hd.seg.segread(path)
    pixels = seg.get_pixels_by_source_instance(source_sop_instance_uids=[source_uid], segment_numbers=[1])
    return seg, np.asarray(pixels)[0, :, :, 0].astype(np.float64)


def png_probability(path):
    from PIL import Image  # highdicom's own dependency
    with Image.open(path) as image:
        values = np.asarray(image)
        full = 65535.0 if image.mode.startswith("I") else 255.0
    return values.astype(np.float64) / full


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def store(path, expected):
    """C-STORE to a storescp of our own on a free loopback port; the received file must be the same object."""
    if shutil.which("storescp") is None or shutil.which("storescu") is None:
        check(False, "DCMTK storescp/storescu are installed (Debian dcmtk; scripts/setup_test_tools.sh)")
        return
    received = tempfile.mkdtemp(prefix="storescp-")
    port = free_port()
    server = subprocess.Popen(["storescp", "--output-directory", received, "--aetitle", "MAMMOSEG_SCP", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None:
                break
            time.sleep(0.05)
        sent = subprocess.run(["storescu", "--required", "--aetitle", "MAMMOSEG", "--call", "MAMMOSEG_SCP", "--timeout", "20",
                               "127.0.0.1", str(port), path], capture_output=True, text=True, timeout=60)
        check(sent.returncode == 0, f"storescu sent {os.path.basename(path)} to port {port}"
              + ("" if sent.returncode == 0 else f": {sent.stderr.strip() or sent.stdout.strip()}"))
        files = []
        deadline = time.time() + 10
        while not files and time.time() < deadline:
            files = [f for f in os.listdir(received) if not f.startswith(".")]
            time.sleep(0.05)
        check(len(files) == 1, f"storescp received one file ({files})")
        if files:
            got = pydicom.dcmread(os.path.join(received, files[0]))
            check(got.SOPClassUID == SEGMENTATION and got.SOPInstanceUID == expected.SOPInstanceUID
                  and got.PixelData == expected.PixelData, "the stored object is the SEG, pixels and all")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(received, ignore_errors=True)


def check_outputs(args):
    source = pydicom.dcmread(args.source, stop_before_pixels=True)
    fractional_path, png_path = args.stem + "_seg.dcm", args.stem + "_probability.png"
    check(os.path.exists(fractional_path), f"{fractional_path} exists")
    if failures:
        return
    p = png_probability(png_path)

    print(f"-- {fractional_path}")
    dciodvfy(fractional_path)
    seg = pydicom.dcmread(fractional_path)
    check(seg.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian, "Explicit VR Little Endian")
    check(seg.SOPClassUID == SEGMENTATION and seg.Modality == "SEG", "Segmentation Storage, modality SEG")
    check(seg.SegmentationType == "FRACTIONAL" and seg.SegmentationFractionalType == "PROBABILITY"
          and seg.MaximumFractionalValue == 255 and seg.BitsAllocated == 8, "FRACTIONAL, PROBABILITY, 8-bit, max 255")
    category = seg.SegmentSequence[0].SegmentedPropertyCategoryCodeSequence[0]
    kind = seg.SegmentSequence[0].SegmentedPropertyTypeCodeSequence[0]
    check(category.CodingSchemeDesignator == "SCT" and kind.CodingSchemeDesignator == "SCT",
          f"segment coded in SNOMED CT ({category.CodeMeaning} / {kind.CodeMeaning})")
    references(seg, source)
    _, pixels = highdicom_pixels(fractional_path, source.SOPInstanceUID)
    check(pixels.shape == p.shape, f"highdicom pixels {pixels.shape} in the PNG map's grid {p.shape}")
    if pixels.shape == p.shape:
        error = float(np.abs(pixels - p).max())
        check(error <= 1 / 255, f"highdicom pixels = PNG map within 1/255 (max |difference| {error:.5f})")
        check(float(p.max()) > 0, f"the map is not empty (max {p.max():.3f})")
    if args.network:
        store(fractional_path, seg)

    binary_path = args.stem + "_seg_binary.dcm"
    if os.path.exists(binary_path):
        print(f"-- {binary_path}")
        dciodvfy(binary_path)
        binary = pydicom.dcmread(binary_path)
        check(binary.SegmentationType == "BINARY" and binary.BitsAllocated == 1
              and "MaximumFractionalValue" not in binary, "BINARY, 1 bit, no fractional attributes")
        check(len(binary.PixelData) == (binary.Rows * binary.Columns + 7) // 8 + ((binary.Rows * binary.Columns + 7) // 8) % 2,
              "1-bit packed, padded to even length")
        references(binary, source)
        _, mask = highdicom_pixels(binary_path, source.SOPInstanceUID)
        expected = p > args.threshold
        # The PNG holds p to 1/65535: only pixels that close to the threshold may fall either way.
        undecided = np.abs(p - args.threshold) <= 1 / 65535
        wrong = int(((mask > 0.5) != expected)[~undecided].sum())
        check(wrong == 0, f"BINARY = PNG map > {args.threshold} ({wrong} pixels differ, {int(expected.sum())} set)")
        if args.network:
            store(binary_path, binary)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    source = commands.add_parser("source", help="write a mammogram-like DICOM")
    source.add_argument("out")
    source.add_argument("--size", default="640x400", help="WIDTHxHEIGHT")
    source.add_argument("--laterality", default="L", choices=["L", "R"])
    source.add_argument("--seed", type=int, default=1)
    source.add_argument("--implicit", action="store_true", help="Implicit VR Little Endian")
    source.add_argument("--no-mass", action="store_true", help="a normal breast (no dense mass)")
    source.add_argument("--mask", help="also write the mass's mask here (8-bit PNG, 255 = mass)")
    checker = commands.add_parser("check", help="check the SEGs predict wrote for a source")
    checker.add_argument("source")
    checker.add_argument("stem", help="OUT/NAME, as predict --out OUT wrote NAME_seg.dcm")
    checker.add_argument("--threshold", type=float, default=0.5)
    checker.add_argument("--no-network", dest="network", action="store_false")
    args = parser.parse_args()
    if args.command == "source":
        make_source(args)
        return 0
    check_outputs(args)
    print(f"{len(failures)} failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
