#!/usr/bin/env python3
"""Tables and figures of the multi-seed study (scripts/study.sh) for docs/results.md.

    python3 scripts/study_summary.py OUT [--figures DIR]

Reads OUT/VARIANT-sSEED-ARCH/results.json (one `mammoseg compare` run each) and its
runs/ARCH/metrics.csv, and prints markdown: per network and variant the mean and 95 % interval
over seeds (Student t, n - 1 degrees of freedom) of test Dice, IoU, false-positive pixel rate
on normal images and on their confounders, image AUC, FROC CPM, CEF2 of the trained
probability map and of every upsampling layer, training seconds to 90 % of the run's best
validation Dice, and the 5-epoch transfer experiment. With --figures it also writes
validation-dice.svg (mean validation Dice against training time per network and variant).
"""
import csv
import datetime
import glob
import json
import math
import os
import re
import statistics
import sys

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
ORDER = ["dilated-resize", "dilated-transpose-first", "fcn-transpose", "fcn-transpose-bottleneck", "fcn-hybrid"]
TRANSPOSE = ["dilated-transpose-first", "fcn-transpose", "fcn-transpose-bottleneck"]


def number(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def interval(values, scale=1.0, digits=3, upper=None):
    """'mean [low, high]' over the defined values: mean +- t * s / sqrt(n), clipped to [0, upper]
    (every metric here is non-negative; rates and Dice are at most `upper` = scale)."""
    xs = [scale * v for v in values if v is not None]
    if not xs:
        return "n/a"
    m = statistics.mean(xs)
    if len(xs) < 2:
        return f"{m:.{digits}f} (n=1)"
    h = T975.get(len(xs) - 1, 1.96) * statistics.stdev(xs) / math.sqrt(len(xs))
    low, high = max(0.0, m - h), m + h if upper is None else min(upper, m + h)
    return f"{m:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def proportion(values, scale=1.0, digits=3):
    return interval(values, scale, digits, upper=scale)


def load(out):
    runs = []
    for path in sorted(glob.glob(os.path.join(out, "*-s*-*", "results.json"))):
        folder = os.path.dirname(path)
        match = re.fullmatch(r"(scratch|transfer)-s(\d+)-(.+)", os.path.basename(folder))
        if not match:
            continue
        variant, seed, arch = match.group(1), int(match.group(2)), match.group(3)
        result = json.load(open(path))[0]
        rows = list(csv.DictReader(open(os.path.join(folder, "runs", arch, "metrics.csv"))))
        elapsed, curve = 0.0, []
        for r in rows:
            elapsed += number(r.get("seconds")) or 0.0
            curve.append((int(float(r["epoch"])), elapsed, number(r.get("val_dice")) or 0.0))
        runs.append(dict(variant=variant, seed=seed, arch=arch, result=result, curve=curve))
    return runs


def best_dice(curve):
    return max((d for _, _, d in curve), default=0.0)


def time_to_90(curve):
    best = best_dice(curve)
    if best <= 0:
        return None
    return next(t for _, t, d in curve if d >= 0.9 * best)


def dice_at_epoch(curve, epoch):
    return next((d for e, _, d in curve if e == epoch), None)


def groups(runs):
    keys = sorted({(r["variant"], r["arch"]) for r in runs},
                  key=lambda k: (k[0] != "scratch", ORDER.index(k[1]) if k[1] in ORDER else 99))
    return [(k, sorted((r for r in runs if (r["variant"], r["arch"]) == k), key=lambda r: r["seed"])) for k in keys]


def label(variant, arch):
    return arch if variant == "scratch" else f"{arch}, classifier encoder (frozen)"


def table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: study_summary.py OUT [--figures DIR]")
    out = sys.argv[1]
    runs = load(out)
    if not runs:
        sys.exit(f"study_summary.py: {out}: no finished runs (VARIANT-sSEED-ARCH/results.json); run scripts/study.sh first")
    grouped = groups(runs)

    def ev(r, *keys):
        v = r["result"]["evaluation"]
        for k in keys:
            v = v.get(k) if isinstance(v, dict) else None
        return number(v)

    print("### Segmentation (test split, best checkpoint by validation Dice)\n")
    rows = []
    for (variant, arch), rs in grouped:
        rows.append([label(variant, arch), " ".join(str(r["seed"]) for r in rs),
                     proportion([ev(r, "segmentation", "pooledDice") or 0.0 for r in rs]),
                     proportion([ev(r, "segmentation", "pooledIoU") or 0.0 for r in rs]),
                     proportion([ev(r, "negativeImages", "falsePositiveRate") for r in rs], 100, 2),
                     proportion([ev(r, "negativeImages", "confounderFalsePositiveRate") for r in rs], 100, 2),
                     proportion([ev(r, "imageLevel", "aucMax") for r in rs], 1, 2),
                     proportion([ev(r, "lesions", "cpm") for r in rs], 1, 2),
                     interval([r["result"]["epochs"] for r in rs], 1, 0)])
    print(table(["network", "seeds", "Dice", "IoU", "FP % normal", "FP % confounders", "image AUC", "FROC CPM", "epochs"], rows))

    print("\n### Checkerboard energy CEF2 after training (mean over the measurement images)\n")
    layer_names = []
    for _, rs in grouped:
        for layer in rs[0]["result"]["trained"]["layers"]:
            if layer["name"] not in layer_names:
                layer_names.append(layer["name"])
    rows = []
    for (variant, arch), rs in grouped:
        row = [label(variant, arch), proportion([number(r["result"]["trained"]["probability"].get("cef2")) for r in rs], 1, 4)]
        for name in layer_names:
            values = [number(l["scores"].get("cef2")) for r in rs for l in r["result"]["trained"]["layers"] if l["name"] == name]
            row.append(proportion(values, 1, 3) if values else "–")
        rows.append(row)
    print(table(["network", "probability map"] + layer_names, rows))

    print("\n### Training speed (training seconds, validation excluded)\n")
    rows = []
    for (variant, arch), rs in grouped:
        rows.append([label(variant, arch),
                     proportion([best_dice(r["curve"]) for r in rs]),
                     interval([time_to_90(r["curve"]) for r in rs], 1, 0),
                     f"{sum(1 for r in rs if time_to_90(r['curve']) is None)} of {len(rs)}",
                     interval([r["result"].get("secondsPerEpoch") for r in rs], 1, 2)])
    print(table(["network", "best validation Dice", "seconds to 90 % of it", "runs that never learned", "s/epoch"], rows))

    print("\n### Five epochs on the classifier's encoder against 20 epochs of the transpose networks (validation Dice)\n")
    rows = []
    for (variant, arch), rs in grouped:
        if variant == "transfer":
            rows.append([label(variant, arch), "epoch 5", proportion([dice_at_epoch(r["curve"], 5) for r in rs])])
    for (variant, arch), rs in grouped:
        if variant == "scratch" and arch in TRANSPOSE:
            reached = [min(20, len(r["curve"])) for r in rs]
            when = "epoch 20" if min(reached) == 20 else f"epoch 20, or the last ({min(reached)}–{max(reached)}) when fewer"
            rows.append([label(variant, arch), when, proportion([dice_at_epoch(r["curve"], e) for r, e in zip(rs, reached)])])
            rows.append([label(variant, arch), "best of all epochs", proportion([best_dice(r["curve"]) for r in rs])])
    print(table(["network", "when", "validation Dice"], rows))

    timeline = os.path.join(out, "timeline.log")
    if os.path.exists(timeline):
        started, spans = {}, []
        for line in open(timeline):
            stamp, what, name = line.split(maxsplit=2)
            t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
            if what == "start":
                started[name] = t
            elif name in started:
                spans.append((started[name], t))
        if spans:
            busy = sum((b - a).total_seconds() for a, b in spans) / 60
            wall = (max(b for _, b in spans) - min(a for a, _ in spans)).total_seconds() / 60
            print(f"\nRuns: {len(runs)} + the classifier; {busy:.0f} minutes of runs (each on its own threads) "
                  f"in {wall:.0f} minutes of wall clock ({timeline}).")
    if "--figures" in sys.argv:
        folder = sys.argv[sys.argv.index("--figures") + 1]
        os.makedirs(folder, exist_ok=True)
        write_curves(grouped, os.path.join(folder, "study-validation-dice.svg"))


def write_curves(grouped, path):
    """Mean validation Dice over seeds against training seconds, one line per network and variant."""
    colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
    series = []
    for (variant, arch), rs in grouped:
        epochs = min(len(r["curve"]) for r in rs)
        points = [(statistics.mean(r["curve"][i][1] for r in rs), statistics.mean(r["curve"][i][2] for r in rs))
                  for i in range(epochs)]
        series.append((label(variant, arch), points))
    tmax = max((p[0] for _, ps in series for p in ps), default=1.0) or 1.0
    w, h, left, bottom, top, right = 760, 420, 60, 50, 20, 300
    def x(t): return left + (w - left - right) * t / tmax
    def y(d): return h - bottom - (h - bottom - top) * d
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>']
    for d in [0, 0.2, 0.4, 0.6, 0.8, 1.0]:
        svg.append(f'<line x1="{left}" y1="{y(d):.1f}" x2="{w - right}" y2="{y(d):.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 8}" y="{y(d) + 4:.1f}" text-anchor="end">{d:.1f}</text>')
    step = max(30, int(tmax / 6 / 30 + 1) * 30)
    for t in range(0, int(tmax) + 1, step):
        svg.append(f'<text x="{x(t):.1f}" y="{h - bottom + 18}" text-anchor="middle">{t}</text>')
    svg.append(f'<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">training seconds (mean over seeds)</text>')
    svg.append(f'<text transform="translate(15,{(h - bottom) / 2}) rotate(-90)" text-anchor="middle">validation Dice (mean over seeds)</text>')
    for i, (name, points) in enumerate(series):
        c = colours[i % len(colours)]
        if points:
            svg.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="'
                       + " ".join(f"{x(t):.1f},{y(d):.1f}" for t, d in points) + '"/>')
        svg.append(f'<line x1="{w - right + 15}" y1="{top + 10 + 20 * i}" x2="{w - right + 35}" y2="{top + 10 + 20 * i}" '
                   f'stroke="{c}" stroke-width="3"/><text x="{w - right + 40}" y="{top + 14 + 20 * i}">{name}</text>')
    svg.append("</svg>")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(svg))
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
