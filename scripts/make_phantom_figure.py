#!/usr/bin/env python3
"""The README's figure of phantoms (docs/images/phantoms.png): a normal image with a
confounder, a mass, a calcification cluster and an image with film artifacts, each beside its
masks (lesions red, confounders green), made by `mammoseg synth` at 512 px.

  python3 scripts/make_phantom_figure.py [--mammoseg .build/release/mammoseg] [--out docs/images/phantoms.png]
"""
import argparse, csv, os, subprocess, tempfile
import numpy as np
from PIL import Image, ImageDraw

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mammoseg", default=os.path.join(ROOT, ".build", "release", "mammoseg"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "images", "phantoms.png"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--panel", type=int, default=320, help="panel side in pixels")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        subprocess.run([a.mammoseg, "synth", "--out", data, "--count", "48", "--size", "512", "--seed", str(a.seed)],
                       check=True, stdout=subprocess.DEVNULL)
        manifest = {r["id"]: r for r in csv.DictReader(open(os.path.join(data, "manifest.csv")))}
        phantoms = list(csv.DictReader(open(os.path.join(data, "phantoms.csv"))))

        def first(rule):
            return next(p["id"] for p in phantoms if rule(p, manifest[p["id"]]))
        picks = [
            ("normal, with a confounder", first(lambda p, m: m["label"] == "normal" and p["confounders"])),
            ("mass", first(lambda p, m: m["lesion_type"] == "mass" and p["film_artifacts"] == "0")),
            ("calcification cluster", first(lambda p, m: m["lesion_type"] == "calcification" and p["film_artifacts"] == "0")),
            ("film artifacts", first(lambda p, m: p["film_artifacts"] == "1")),
        ]
        n = a.panel
        figure = Image.new("RGB", (4 * n, 2 * n + 24), "white")
        draw = ImageDraw.Draw(figure)
        for column, (title, image_id) in enumerate(picks):
            image = np.asarray(Image.open(os.path.join(data, "images", image_id + ".png")), dtype=np.float64) / 65535
            lesion = np.asarray(Image.open(os.path.join(data, "masks", image_id + ".png"))) > 0
            path = os.path.join(data, "confounders", image_id + ".png")
            confounder = np.asarray(Image.open(path)) > 0 if os.path.exists(path) else np.zeros_like(lesion)
            gray = Image.fromarray((255 * image).astype(np.uint8)).convert("RGB").resize((n, n), Image.BOX)
            masks = np.zeros(image.shape + (3,), np.uint8)
            masks[lesion] = (230, 40, 40)
            masks[confounder] = (40, 200, 40)
            masks = Image.fromarray(masks).resize((n, n), Image.NEAREST)
            figure.paste(gray, (column * n, 24))
            figure.paste(masks, (column * n, 24 + n))
            draw.text((column * n + 6, 6), f"{title} ({image_id})", fill="black")
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        figure.save(a.out, optimize=True)
        print(f"wrote {a.out}: " + ", ".join(f"{t} = {i}" for t, i in picks))


if __name__ == "__main__":
    main()
