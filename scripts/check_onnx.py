#!/usr/bin/env python3
"""Checks an ONNX model written by `mammoseg export` with tools we did not write.

  python3 scripts/check_onnx.py MODEL.onnx --case X.npy Y.npy [--case ...]
        [--pytorch CHECKPOINT] [--openvino] [--tolerance 1e-4]

- onnx.checker.check_model(full_check=True) (types and shapes inferred through the graph);
  opset 17, IR version 8, input `image` [N, 1, H, W] and output `probabilities` with N, H, W dynamic;
- for each case, runs it in onnxruntime (CPU) on input X and compares with Y, MammoSeg's
  probabilities (max |Δ| ≤ tolerance); one model file, any number of input sizes;
- --pytorch: the reference network (../shared/reference/models.py) loaded with the checkpoint's
  tensors, softmax of its eval-mode logits on each X, compared with onnxruntime's output;
- --openvino: compiles the model with OpenVINO (CPU, f32) and compares its output on each X
  (≤ 10 × tolerance).
Prints one JSON line of the differences; exits 1 if a check fails.
"""
import argparse, json, os, sys
import numpy as np
import onnx
import onnxruntime as ort


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--case", nargs=2, action="append", required=True, metavar=("INPUT_NPY", "EXPECTED_NPY"))
    ap.add_argument("--pytorch", metavar="CHECKPOINT")
    ap.add_argument("--openvino", action="store_true")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    a = ap.parse_args()

    model = onnx.load(a.model)
    onnx.checker.check_model(model, full_check=True)
    if model.ir_version != 8 or [(o.domain, o.version) for o in model.opset_import] != [("", 17)]:
        fail(f"{a.model}: IR {model.ir_version}, opsets {model.opset_import}; expected IR 8, opset 17")
    (inp,), (out,) = model.graph.input, model.graph.output
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
    if inp.name != "image" or dims(inp) != ["N", 1, "H", "W"]:
        fail(f"{a.model}: input {inp.name} {dims(inp)}; expected image [N, 1, H, W]")
    if out.name != "probabilities" or dims(out)[:2] != ["N", 2]:
        fail(f"{a.model}: output {out.name} {dims(out)}; expected probabilities [N, 2, ...]")
    meta = {p.key: p.value for p in model.metadata_props}

    session = ort.InferenceSession(a.model, providers=["CPUExecutionProvider"])
    report = {"architecture": meta.get("architecture"), "cases": []}
    failed = []
    reference = compiled = None
    if a.pytorch:
        import torch
        from safetensors.torch import load_file
        here = os.path.dirname(os.path.abspath(__file__))
        # The reference networks: $MAMMOSEG_REFERENCE, else ../shared/reference beside the checkout, else /work/shared.
        for folder in ("/work/shared/reference", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference"),
                       os.environ.get("MAMMOSEG_REFERENCE", "")):
            if folder: sys.path.insert(0, folder)
        from models import ARCHS
        state = {k: v for k, v in load_file(a.pytorch).items() if not k.startswith("optimizer.")}
        reference = ARCHS[meta["architecture"]](float(meta["width"])).eval()
        reference.load_state_dict(state, strict=False)
        missing = {k for k in reference.state_dict() if not k.endswith("num_batches_tracked")} - state.keys()
        if missing:
            fail(f"{a.pytorch}: missing {sorted(missing)[:3]}")
    if a.openvino:
        import openvino as ov
        compiled = ov.Core().compile_model(a.model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})

    for x_path, y_path in a.case:
        x = np.load(x_path).astype(np.float32)
        y = session.run(None, {"image": x})[0]
        case = {"input": list(x.shape), "output": list(y.shape)}
        report["cases"].append(case)

        def compare(label, other, tolerance):
            if other.shape != y.shape:
                failed.append(f"{label} on {list(x.shape)}: shape {list(other.shape)} vs onnxruntime {list(y.shape)}")
                return
            diff = float(np.max(np.abs(other.astype(np.float32) - y)))
            case[label] = diff
            if not diff <= tolerance:
                failed.append(f"{label} on {list(x.shape)}: max |Δ| {diff:.3g} > {tolerance:g}")

        compare("mammoseg", np.load(y_path), a.tolerance)
        if reference is not None:
            import torch
            with torch.no_grad():
                compare("pytorch", torch.softmax(reference(torch.from_numpy(x)), dim=1).numpy(), a.tolerance)
        if compiled is not None:
            compare("openvino", compiled([x])[compiled.output(0)], 10 * a.tolerance)

    print(json.dumps(report))
    if failed:
        fail(f"{a.model}: " + "; ".join(failed))


if __name__ == "__main__":
    main()
