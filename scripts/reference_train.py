#!/usr/bin/env python3
"""Trains the reference PyTorch network on a prepared MammoSeg dataset with the same recipe,
data and wall-clock budget as `mammoseg train`/`mammoseg demo`, then reports, for its
best-validation weights on the test split, Dice on positive images (pooled) and the
false-positive pixel rate on normal images (breast pixels above threshold).

  pip install torch==2.13.0+cpu pillow numpy
  python3 scripts/reference_train.py --data demo-out/data --minutes 8 --size 256 --width 0.25

Prints one line: `reference dice=... fp_rate=... epochs=... seconds=...` and writes JSON with --json.
"""
import argparse, csv, json, os, sys, time
import numpy as np
from PIL import Image
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "shared", "reference"))
from models import ARCHS, weighted_ce  # noqa: E402

BREAST_THRESHOLD = 0.02  # same rule as MammoSeg's evaluation: breast pixels are brighter than this


def load(root, split):
    rows = [r for r in csv.DictReader(open(os.path.join(root, "manifest.csv"))) if r["split"] == split]
    out = []
    for r in rows:
        pil = Image.open(os.path.join(root, r["image"]))
        img = np.asarray(pil, dtype=np.float32) / (255.0 if pil.mode == "L" else 65535.0)  # by bit depth
        mask = (np.asarray(Image.open(os.path.join(root, r["mask"]))) > 0).astype(np.int64)
        out.append((img, mask))
    return out


def batches(data, size, batch, rng, lesion_fraction=0.5):
    """Shuffled crops as MammoSeg's loader makes them: a `lesion_fraction` of the crops of
    positive images centred on a random lesion pixel, the rest at random; random flips."""
    order = rng.permutation(len(data))
    for i in range(0, len(order) - batch + 1, batch):
        xs, ys = [], []
        for j in order[i:i + batch]:
            img, mask = data[j]
            h, w = img.shape
            fg = np.argwhere(mask > 0)
            if len(fg) and rng.random() < lesion_fraction:
                cy, cx = fg[rng.integers(len(fg))]
                top = int(np.clip(cy - size // 2, 0, h - size)); left = int(np.clip(cx - size // 2, 0, w - size))
            else:
                top = rng.integers(0, h - size + 1); left = rng.integers(0, w - size + 1)
            x = img[top:top + size, left:left + size]; y = mask[top:top + size, left:left + size]
            if rng.random() < 0.5: x, y = x[:, ::-1], y[:, ::-1]
            if rng.random() < 0.5: x, y = x[::-1], y[::-1]
            xs.append(x.copy()); ys.append(y.copy())
        yield torch.from_numpy(np.stack(xs)[:, None]), torch.from_numpy(np.stack(ys))


def pad32(a):
    h, w = a.shape
    return np.pad(a, ((0, (-h) % 32), (0, (-w) % 32)))


@torch.no_grad()
def evaluate(model, data, threshold=0.5):
    model.eval()
    tp = fp = fn = 0; fp_normal = breast_normal = 0
    for img, mask in data:
        h, w = img.shape
        p = torch.softmax(model(torch.from_numpy(pad32(img))[None, None]), 1)[0, 1, :h, :w].numpy()
        pred = p > threshold
        if mask.any():
            tp += int((pred & (mask > 0)).sum()); fp += int((pred & (mask == 0)).sum()); fn += int((~pred & (mask > 0)).sum())
        else:
            breast = img > BREAST_THRESHOLD
            fp_normal += int((pred & breast).sum()); breast_normal += int(breast.sum())
    model.train()
    dice = 2 * tp / max(1, 2 * tp + fp + fn)
    return dice, fp_normal / max(1, breast_normal)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--arch", default="dilated-resize", choices=sorted(ARCHS))
    ap.add_argument("--minutes", type=float, default=8)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--width", type=float, default=0.25)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=7e-4)
    ap.add_argument("--pos-weight", type=float, default=18)
    ap.add_argument("--decay-every", type=int, default=10)
    ap.add_argument("--decay-factor", type=float, default=0.85)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed); rng = np.random.default_rng(a.seed)
    train, val, test = load(a.data, "train"), load(a.data, "val"), load(a.data, "test")
    model = ARCHS[a.arch](a.width).to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), a.lr)
    start = time.time(); best = (-1.0, None); epoch = 0
    while time.time() - start < a.minutes * 60:
        for g in opt.param_groups: g["lr"] = a.lr * a.decay_factor ** (epoch // a.decay_every)
        for x, y in batches(train, a.size, a.batch, rng):
            opt.zero_grad(); weighted_ce(model(x.to(memory_format=torch.channels_last)), y, a.pos_weight).backward(); opt.step()
            if time.time() - start > a.minutes * 60: break
        epoch += 1
        dice, fp_rate = evaluate(model, val)
        print(f"epoch {epoch} val_dice={dice:.4f} val_fp_rate={fp_rate:.5f} t={time.time() - start:.0f}s", file=sys.stderr)
        if dice > best[0]:
            best = (dice, {k: v.clone() for k, v in model.state_dict().items()})
    if best[1] is not None: model.load_state_dict(best[1])
    dice, fp_rate = evaluate(model, test)
    result = dict(dice=dice, fp_rate=fp_rate, epochs=epoch, seconds=time.time() - start, arch=a.arch, size=a.size, width=a.width)
    print(f"reference dice={dice:.4f} fp_rate={fp_rate:.5f} epochs={epoch} seconds={result['seconds']:.0f}")
    if a.json:
        json.dump(result, open(a.json, "w"), indent=2)


if __name__ == "__main__":
    main()
