#!/usr/bin/env python3
"""Writes probability maps of a prepared dataset's split with the PyTorch reference network, in
the form `mammoseg evaluate --maps` reads (and `mammoseg predict --data` writes): one
OUT/ID_probability.png per image, 16-bit gray, round(p * 65535), in the prepared image's size.
So maps from PyTorch are scored by exactly the metrics MammoSeg uses for its own checkpoints.

  python3 scripts/reference_maps.py CHECKPOINT --data DATA [--split test] --out DIR
  mammoseg evaluate --maps DIR --data DATA --split test

CHECKPOINT is a safetensors file in the reference's names and layouts (a MammoSeg checkpoint,
or one written by PyTorch with `arch`, `width` metadata, or give --arch and --width). Each image
is zero-padded on the right and bottom to a multiple of 32 (320 for the fcn-* networks), run
whole in eval mode, and the softmax's abnormal channel cropped back — as scripts/reference_train.py
evaluates, and as `predict` does for images of up to 4 x its training size squared pixels (larger
ones it tiles, so there the maps differ near tile borders). scripts/reference_train.py --maps
writes its trained network's maps with the same function.
"""
import argparse, csv, os, sys
import numpy as np
import torch
from PIL import Image

# The reference networks: $MAMMOSEG_REFERENCE, else ../shared/reference beside the checkout, else /work/shared.
for folder in ("/work/shared/reference", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference"),
               os.environ.get("MAMMOSEG_REFERENCE", "")):
    if folder: sys.path.insert(0, folder)
from models import ARCHS  # noqa: E402


def read_image(path):
    """A prepared image as float32 in [0, 1], scaled by its bit depth (as MammoSeg reads it)."""
    pil = Image.open(path)
    return np.asarray(pil, dtype=np.float32) / (255.0 if pil.mode == "L" else 65535.0)


def multiple(arch):
    return 320 if arch.startswith("fcn") else 32


@torch.no_grad()
def probability(model, image, arch):
    """The abnormal class's softmax over the whole image (padded to the network's multiple)."""
    h, w = image.shape
    m = multiple(arch)
    padded = np.pad(image, ((0, (-h) % m), (0, (-w) % m)))
    return torch.softmax(model(torch.from_numpy(padded)[None, None]), 1)[0, 1, :h, :w].numpy()


def write_maps(model, arch, data, split, out):
    """Writes OUT/ID_probability.png for every image of SPLIT; returns how many."""
    model.eval()
    os.makedirs(out, exist_ok=True)
    rows = [r for r in csv.DictReader(open(os.path.join(data, "manifest.csv"))) if r["split"] == split]
    if not rows:
        sys.exit(f"error: {data}/manifest.csv: no images in split '{split}'; choose --split train, val or test")
    for r in rows:
        p = probability(model, read_image(os.path.join(data, r["image"])), arch)
        path = os.path.join(out, r["id"] + "_probability.png")
        Image.fromarray(np.round(np.clip(p, 0, 1) * 65535).astype(np.uint16)).save(path + ".tmp.png")
        os.replace(path + ".tmp.png", path)  # atomic: a killed run leaves no half-written map
    return len(rows)


def read_checkpoint(checkpoint):
    """The metadata and tensors of a safetensors checkpoint (optimizer state left out)."""
    from safetensors import safe_open
    if not os.path.isfile(checkpoint):
        sys.exit(f"error: {checkpoint}: no such checkpoint file; give a .safetensors file")
    with safe_open(checkpoint, "pt") as f:
        return f.metadata() or {}, {k: f.get_tensor(k) for k in f.keys() if not k.startswith("optimizer.")}


def build_model(checkpoint, state, arch, width):
    """The reference network `arch` at `width` in eval mode with `state` loaded, strictly apart
    from num_batches_tracked (not part of the contract); exits with one line when they differ."""
    model = ARCHS[arch](width)
    expected = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    missing, unexpected = expected - state.keys(), state.keys() - expected
    if missing or unexpected:
        sys.exit(f"error: {checkpoint}: does not match {arch} width {width}: missing {sorted(missing)[:3]}, "
                 f"unexpected {sorted(unexpected)[:3]}")
    model.load_state_dict(state, strict=False)  # strict apart from num_batches_tracked, checked above
    return model.eval()


def load_model(checkpoint, arch=None, width=None):
    """The network of a checkpoint: its `arch`/`width` metadata unless given; returns (model, arch)."""
    meta, state = read_checkpoint(checkpoint)
    arch = arch or meta.get("arch")
    width = width or (float(meta["width"]) if "width" in meta else None)
    if arch not in ARCHS or width is None:
        sys.exit(f"error: {checkpoint}: no architecture/width in its metadata; give --arch ({', '.join(sorted(ARCHS))}) and --width")
    return build_model(checkpoint, state, arch, width), arch


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("--data", required=True, help="prepared dataset folder (manifest.csv)")
    ap.add_argument("--split", default="test", choices=["train", "val", "test"])
    ap.add_argument("--out", required=True, help="folder for ID_probability.png")
    ap.add_argument("--arch", choices=sorted(ARCHS), help="for checkpoints without metadata")
    ap.add_argument("--width", type=float, help="for checkpoints without metadata")
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    model, arch = load_model(a.checkpoint, a.arch, a.width)
    n = write_maps(model, arch, a.data, a.split, a.out)
    print(f"wrote {n} maps of split {a.split} to {a.out}")


if __name__ == "__main__":
    main()
