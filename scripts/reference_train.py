#!/usr/bin/env python3
"""Trains the reference PyTorch network on a prepared MammoSeg dataset with the same recipe,
data and wall-clock budget as `mammoseg train`/`mammoseg demo`, then reports, for its
best-validation weights on the test split, Dice on positive images (pooled) and the
false-positive pixel rate on normal images (breast pixels above threshold).

  pip install torch==2.13.0+cpu pillow numpy
  python3 scripts/reference_train.py --data demo-out/data --minutes 8 --size 256 --width 0.25

The recipe matches MammoSeg's: linear learning-rate warm-up over --warmup-steps steps
(lr * min(1, (step + 1) / N)), the staircase decay per epoch, optional gradient-norm clipping
(--clip-grad-norm) and an optional moving average of the weights for evaluation (--ema, with
MammoSeg's decay min(d, (1 + t) / (10 + t))). Synthetic datasets' confounder masks
(ROOT/confounders/ID.png) give the false-positive rate on confounders as well.

Prints one line per epoch, then `reference dice=... fp_rate=... fp_rate_confounders=... epochs=... seconds=...`,
and writes JSON with --json; --maps DIR writes the test split's maps for `mammoseg evaluate --maps DIR`.
"""
import argparse, csv, json, os, sys, time
import numpy as np
from PIL import Image
import torch

# reference_maps finds the reference networks ($MAMMOSEG_REFERENCE, ../shared beside the checkout, /work/shared)
# and holds the image reading and whole-image prediction this script evaluates with.
from reference_maps import probability, read_image, write_maps  # noqa: E402
from models import ARCHS, weighted_ce  # noqa: E402

BREAST_THRESHOLD = 0.02  # same rule as MammoSeg's evaluation: breast pixels are brighter than this


def load(root, split, confounders=False):
    rows = [r for r in csv.DictReader(open(os.path.join(root, "manifest.csv"))) if r["split"] == split]
    out = []
    for r in rows:
        img = read_image(os.path.join(root, r["image"]))
        mask = (np.asarray(Image.open(os.path.join(root, r["mask"]))) > 0).astype(np.int64)
        if confounders:
            path = os.path.join(root, "confounders", r["id"] + ".png")
            extra = (np.asarray(Image.open(path)) > 0) if os.path.exists(path) else np.zeros(mask.shape, bool)
            out.append((img, mask, extra))
        else:
            out.append((img, mask))
    return out


def batches(data, size, batch, rng, lesion_fraction=0.5, scale_jitter=0.0):
    """Shuffled crops as MammoSeg's loader (CropSampler) makes them: a scale drawn from
    [1 - scale_jitter, 1 + scale_jitter] (the crop covers size/scale source pixels, resampled
    bilinearly, zero outside the image, masks by nearest neighbour); a `lesion_fraction` of the
    crops of positive images placed so that a random lesion pixel lies in the crop's central
    half, the rest uniformly; random horizontal and vertical flips."""
    order = rng.permutation(len(data))
    for i in range(0, len(order) - batch + 1, batch):
        xs, ys = [], []
        for j in order[i:i + batch]:
            img, mask = data[j][0], data[j][1]
            h, w = img.shape
            scale = 1.0 - scale_jitter + 2 * scale_jitter * rng.random()
            window = size / scale
            fg = np.flatnonzero(mask)
            if len(fg) and rng.random() < lesion_fraction:
                pixel = fg[rng.integers(len(fg))]
                px, py = pixel % w + 0.5, pixel // w + 0.5
                ox = clamp_origin(px - window * rng.uniform(0.25, 0.75), window, w)
                oy = clamp_origin(py - window * rng.uniform(0.25, 0.75), window, h)
            else:
                ox = (w - window) * rng.random(); oy = (h - window) * rng.random()
            flip_x = rng.random() < 0.5; flip_y = rng.random() < 0.5
            u = np.arange(size)
            cu = size - 1 - u if flip_x else u; cv = size - 1 - u if flip_y else u
            sx = ox + (cu + 0.5) / scale - 0.5; sy = oy + (cv + 0.5) / scale - 0.5
            xs.append(np.minimum(1.0, bilinear(img, sx, sy)).astype(np.float32))
            nx = np.floor(sx + 0.5).astype(np.int64); ny = np.floor(sy + 0.5).astype(np.int64)
            inside = (ny[:, None] >= 0) & (ny[:, None] < h) & (nx[None, :] >= 0) & (nx[None, :] < w)
            ys.append(np.where(inside, mask[np.clip(ny, 0, h - 1)][:, np.clip(nx, 0, w - 1)], 0))
        yield torch.from_numpy(np.stack(xs)[:, None]), torch.from_numpy(np.stack(ys))


def clamp_origin(origin, window, extent):
    """A window inside the image when it fits, else the image centred in it (as MammoSeg)."""
    free = extent - window
    return min(max(origin, 0.0), free) if free >= 0 else free / 2


def bilinear(img, sx, sy):
    """img sampled at the grid sy × sx (source pixel centres at integers), zero outside."""
    h, w = img.shape
    padded = np.pad(img, 1)
    x0 = np.floor(sx).astype(np.int64); y0 = np.floor(sy).astype(np.int64)
    fx = (sx - x0).astype(np.float32)[None, :]; fy = (sy - y0).astype(np.float32)[:, None]
    cx = np.clip(x0 + 1, 0, w + 1); cx1 = np.clip(x0 + 2, 0, w + 1)
    cy = np.clip(y0 + 1, 0, h + 1); cy1 = np.clip(y0 + 2, 0, h + 1)
    top = padded[cy][:, cx] * (1 - fx) + padded[cy][:, cx1] * fx
    bottom = padded[cy1][:, cx] * (1 - fx) + padded[cy1][:, cx1] * fx
    return top * (1 - fy) + bottom * fy


@torch.no_grad()
def evaluate(model, arch, data, threshold=0.5):
    """Pooled Dice on positive images, FP rate over breast pixels of normal images, and over
    confounder pixels of normal images (None without confounder masks)."""
    model.eval()
    tp = fp = fn = 0; fp_normal = breast_normal = 0; fp_conf = conf = 0
    for item in data:
        img, mask = item[0], item[1]
        pred = probability(model, img, arch) > threshold
        if mask.any():
            tp += int((pred & (mask > 0)).sum()); fp += int((pred & (mask == 0)).sum()); fn += int((~pred & (mask > 0)).sum())
        else:
            breast = img > BREAST_THRESHOLD
            fp_normal += int((pred & breast).sum()); breast_normal += int(breast.sum())
            if len(item) > 2:
                fp_conf += int((pred & item[2]).sum()); conf += int(item[2].sum())
    model.train()
    dice = 2 * tp / max(1, 2 * tp + fp + fn)
    return dice, fp_normal / max(1, breast_normal), (fp_conf / conf if conf else None)


class WeightAverage:
    """MammoSeg's WeightAverage: avg <- d*avg + (1-d)*theta, d = min(decay, (1+t)/(10+t)); buffers copied."""
    def __init__(self, model, decay):
        self.decay, self.updates = decay, 0
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        self.weights = {k for k, _ in model.named_parameters()}

    @torch.no_grad()
    def update(self, model):
        d = min(self.decay, (1 + self.updates) / (10 + self.updates)); self.updates += 1
        for k, v in model.state_dict().items():
            if k in self.weights:
                self.state[k].mul_(d).add_(v.detach(), alpha=1 - d)
            else:
                self.state[k].copy_(v)


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
    ap.add_argument("--warmup-steps", type=int, default=100)
    ap.add_argument("--scale-jitter", type=float, default=0.2,
                    help="random rescale of crops in [1 - j, 1 + j], as MammoSeg's loader (0 = off)")
    ap.add_argument("--clip-grad-norm", type=float)
    ap.add_argument("--ema", type=float)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--json")
    ap.add_argument("--maps", help="write the test split's probability maps here (ID_probability.png, 16-bit, "
                                   "as `mammoseg evaluate --maps` reads them)")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed); rng = np.random.default_rng(a.seed)
    train, val, test = load(a.data, "train"), load(a.data, "val"), load(a.data, "test", confounders=True)
    model = ARCHS[a.arch](a.width).to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), a.lr)
    average = WeightAverage(model, a.ema) if a.ema else None
    start = time.time(); best = (-1.0, None); epoch = 0; step = 0
    while time.time() - start < a.minutes * 60:
        base = a.lr * a.decay_factor ** (epoch // a.decay_every)
        losses = []
        for x, y in batches(train, a.size, a.batch, rng, scale_jitter=a.scale_jitter):
            for g in opt.param_groups: g["lr"] = base * (min(1.0, (step + 1) / a.warmup_steps) if a.warmup_steps > 0 else 1.0)
            opt.zero_grad()
            loss = weighted_ce(model(x.to(memory_format=torch.channels_last)), y, a.pos_weight)
            loss.backward()
            if a.clip_grad_norm: torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip_grad_norm)
            opt.step(); step += 1; losses.append(float(loss.detach()))
            if average: average.update(model)
            if time.time() - start > a.minutes * 60: break
        epoch += 1
        if average:
            raw = {k: v.clone() for k, v in model.state_dict().items()}; model.load_state_dict(average.state)
        dice, fp_rate, _ = evaluate(model, a.arch, val)
        print(f"epoch {epoch}: train_loss={np.mean(losses):.4g} val_dice={dice:.4f} val_fp_rate={fp_rate:.5f} "
              f"elapsed={time.time() - start:.0f}s", flush=True)
        if dice > best[0]:
            best = (dice, {k: v.clone() for k, v in model.state_dict().items()})
        if average: model.load_state_dict(raw)
    if best[1] is not None: model.load_state_dict(best[1])
    dice, fp_rate, fp_conf = evaluate(model, a.arch, test)
    result = dict(dice=dice, fp_rate=fp_rate, fp_rate_confounders=fp_conf, best_val_dice=best[0], epochs=epoch,
                  seconds=time.time() - start, arch=a.arch, size=a.size, width=a.width, seed=a.seed)
    conf = "n/a" if fp_conf is None else f"{fp_conf:.5f}"
    print(f"reference dice={dice:.4f} fp_rate={fp_rate:.5f} fp_rate_confounders={conf} best_val_dice={best[0]:.4f} "
          f"epochs={epoch} seconds={result['seconds']:.0f}")
    if a.json:
        json.dump(result, open(a.json, "w"), indent=2)
    if a.maps:
        write_maps(model, a.arch, a.data, "test", a.maps)


if __name__ == "__main__":
    main()
