#!/usr/bin/env python3
"""Loads a MammoSeg checkpoint into the PyTorch reference model and runs it: the proof that
MammoSeg checkpoints are interchangeable with the reference (same names, shapes, layouts).

  python3 scripts/load_in_pytorch.py RUN/checkpoints/best.safetensors [--image PNG]

Builds `models.ARCHS[arch](width)` from the checkpoint's metadata, `load_state_dict(strict=True)`
(optimizer.* tensors are left out; num_batches_tracked is not part of the contract), and prints
the eval-mode logits' shape and range on a zero image (or the given 16-bit PNG).
"""
import argparse, os, sys
import numpy as np
import torch
from safetensors import safe_open

# The reference networks: $MAMMOSEG_REFERENCE, else ../shared/reference beside the checkout, else /work/shared.
for folder in ("/work/shared/reference", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference"),
               os.environ.get("MAMMOSEG_REFERENCE", "")):
    if folder: sys.path.insert(0, folder)
from models import ARCHS  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--image")
    a = ap.parse_args()
    with safe_open(a.checkpoint, "pt") as f:
        meta = f.metadata() or {}
        state = {k: f.get_tensor(k) for k in f.keys() if not k.startswith("optimizer.")}
    arch, width, size = meta["arch"], float(meta["width"]), int(meta["size"])
    model = ARCHS[arch](width).eval()
    expected = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    missing, unexpected = expected - state.keys(), state.keys() - expected
    if missing or unexpected:
        sys.exit(f"error: {a.checkpoint}: missing {sorted(missing)[:5]}, unexpected {sorted(unexpected)[:5]}")
    model.load_state_dict(state, strict=False)  # strict apart from num_batches_tracked, checked above
    if a.image:
        from PIL import Image
        img = Image.open(a.image)
        x = np.asarray(img, dtype=np.float32) / (255.0 if img.mode == "L" else 65535.0)
        h, w = x.shape
        x = np.pad(x, ((0, (-h) % 32), (0, (-w) % 32)))
    else:
        x = np.zeros((size, size), np.float32)
    with torch.no_grad():
        y = model(torch.from_numpy(x)[None, None])
    print(f"loaded {len(state)} tensors into {arch} (width {width}); logits {tuple(y.shape)} "
          f"range [{y.min().item():.4f}, {y.max().item():.4f}]")


if __name__ == "__main__":
    main()
