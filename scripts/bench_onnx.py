#!/usr/bin/env python3
"""Inference speed of an exported model (`mammoseg export`) in onnxruntime and OpenVINO, on
the shapes `mammoseg bench` uses, for scripts/bench_compare.sh to set beside MammoSeg and PyTorch.

  python3 scripts/bench_onnx.py MODEL.onnx --size 256 --batch 8 [--steps 5]

Prints one line per runtime, keys as `mammoseg bench` prints them:
  runtime=onnxruntime size=... batch=... infer_img_per_s=... peak_rss_mb=...
  runtime=openvino ...        (OpenVINO's default precision on this CPU, e.g. bf16)
  runtime=openvino-f32 ...    (INFERENCE_PRECISION_HINT f32)
Each runtime in its own process (peak RSS per runtime; no thread pools competing).
Inference = the whole exported graph (softmax included), one warm-up call, then `steps` timed.
"""
import argparse, json, resource, subprocess, sys, time
import numpy as np


def measure(runtime, model, size, batch, steps):
    x = np.random.default_rng(0).random((batch, 1, size, size), dtype=np.float32)
    if runtime == "onnxruntime":
        import onnxruntime as ort
        session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        run = lambda: session.run(None, {"image": x})
    else:
        import openvino as ov
        config = {"INFERENCE_PRECISION_HINT": "f32"} if runtime == "openvino-f32" else {}
        compiled = ov.Core().compile_model(model, "CPU", config)
        request = compiled.create_infer_request()
        run = lambda: request.infer([x])
    run()
    start = time.perf_counter()
    for _ in range(steps):
        run()
    rate = batch * steps / (time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"runtime={runtime} size={size} batch={batch} infer_img_per_s={rate:.3f} peak_rss_mb={rss:.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--runtime", choices=["onnxruntime", "openvino", "openvino-f32"])
    a = ap.parse_args()
    if a.runtime:
        print(measure(a.runtime, a.model, a.size, a.batch, a.steps))
        return
    for runtime in ["onnxruntime", "openvino", "openvino-f32"]:
        out = subprocess.run([sys.executable, __file__, a.model, "--size", str(a.size), "--batch", str(a.batch),
                              "--steps", str(a.steps), "--runtime", runtime], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"error: {runtime} on {a.model} failed: {out.stderr.strip().splitlines()[-1:]}")
        print(out.stdout.strip())


if __name__ == "__main__":
    main()
