#!/usr/bin/env python3
"""Loads a MammoSeg checkpoint into the PyTorch reference model and runs it: the proof that
MammoSeg checkpoints are interchangeable with the reference (same names, shapes, layouts).

  python3 scripts/load_in_pytorch.py RUN/checkpoints/best.safetensors [--image PNG]

Builds `models.ARCHS[arch](width)` from the checkpoint's metadata, `load_state_dict(strict=True)`
(optimizer.* tensors are left out; num_batches_tracked is not part of the contract), and prints
the eval-mode logits' shape and range on a zero image (or the given 16-bit PNG).
"""
import argparse
import numpy as np
import torch

# Finds the reference networks ($MAMMOSEG_REFERENCE, ../shared beside the checkout, /work/shared) on import.
from reference_maps import build_model, read_checkpoint, read_image


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--image")
    a = ap.parse_args()
    meta, state = read_checkpoint(a.checkpoint)
    arch, width, size = meta["arch"], float(meta["width"]), int(meta["size"])
    model = build_model(a.checkpoint, state, arch, width)
    if a.image:
        x = read_image(a.image)
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
