#!/usr/bin/env python3
"""Float-path parity: imports an ONNX model with prom-translate, compiles and
runs it with prom-run, runs the same model and input in ONNX Runtime
(tools/ort/run.js), and checks max|prom - ort| / max|ort| <= tolerance.

usage: compare_with_ort.py --bin BUILD_BIN --ort RUN_JS [--tolerance T]
                           [--input-shape NAME=SHAPE] model.onnx [...]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx


def static_input_shape(model_path, overrides):
    model = onnx.load(model_path, load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    if len(inputs) != 1:
        sys.exit(f"{model_path}: expected one graph input, found {len(inputs)}")
    name = inputs[0].name
    if name in overrides:
        return name, overrides[name]
    return name, [d.dim_value for d in inputs[0].type.tensor_type.shape.dim]


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {' '.join(cmd)}\n"
                 f"{result.stderr}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--ort", required=True)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--input-shape", action="append", default=[])
    parser.add_argument("--min-cosine", type=float,
                        help="judge by cosine similarity instead (QDQ models, "
                             "whose rounding differences compound)")
    parser.add_argument("--prom-opt", default="",
                        help="prom-opt options applied between import and "
                             "run, e.g. '--prom-qdq-to-integer --canonicalize'")
    parser.add_argument("--ort-no-optimize", action="store_true",
                        help="run ONNX Runtime without graph optimizations, "
                             "so QDQ models execute Q/DQ literally")
    parser.add_argument("models", nargs="+")
    args = parser.parse_args()
    overrides = {}
    for spec in args.input_shape:
        name, dims = spec.rsplit("=", 1)
        overrides[name] = [int(d) for d in dims.split("x")]

    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i, model in enumerate(args.models):
            name, shape = static_input_shape(model, overrides)
            x = np.random.default_rng(i).standard_normal(shape).astype(np.float32)
            inp, ort_out, prom_out, mlir = (os.path.join(tmp, f) for f in
                                            ("in.bin", "ort.bin", "prom.bin",
                                             "model.mlir"))
            x.tofile(inp)
            run(["node", args.ort, model, inp, ort_out,
                 "--shape", "x".join(map(str, shape))] +
                (["--no-optimize"] if args.ort_no_optimize else []))
            shape_flags = [f"--input-shape={s}" for s in args.input_shape]
            with open(mlir, "w") as f:
                f.write(run([os.path.join(args.bin, "prom-translate"),
                             "--import-onnx", model] + shape_flags))
            if args.prom_opt:
                optimized = mlir + ".opt.mlir"
                run([os.path.join(args.bin, "prom-opt"), mlir, "-o", optimized]
                    + args.prom_opt.split())
                mlir = optimized
            run([os.path.join(args.bin, "prom-run"), mlir, "--input-file", inp,
                 "--output-file", prom_out])
            want = np.fromfile(ort_out, dtype=np.float32)
            got = np.fromfile(prom_out, dtype=np.float32)
            if want.shape != got.shape:
                sys.exit(f"{model}: {got.size} values from prom, "
                         f"{want.size} from ONNX Runtime")
            scale = max(float(np.max(np.abs(want))), 1e-30)
            error = float(np.max(np.abs(got - want))) / scale
            cosine = float(np.dot(got, want) /
                           max(np.linalg.norm(got) * np.linalg.norm(want), 1e-30))
            good = (cosine >= args.min_cosine if args.min_cosine is not None
                    else error <= args.tolerance)
            worst = max(worst, error)
            print(f"{'ok' if good else 'FAIL'} {os.path.basename(model)}: max "
                  f"relative error {error:.3e}, cosine {cosine:.6f}, top-1 "
                  f"{int(np.argmax(got))} vs {int(np.argmax(want))}, over "
                  f"{want.size} values")
            if not good:
                sys.exit(1)
    if args.min_cosine is not None:
        print(f"all {len(args.models)} models with cosine >= {args.min_cosine:g}")
    else:
        print(f"all {len(args.models)} models within {args.tolerance:g} "
              f"(worst {worst:.3e})")


if __name__ == "__main__":
    main()
