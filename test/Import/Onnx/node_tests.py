#!/usr/bin/python3
"""Runs the ONNX backend node tests (Debian's libonnx-testdata) through prom.

usage: node_tests.py BIN_DIR [--data DIR] [--expected FILE] [--update]
                     [--jobs N] [--only NAME...]

Each node test whose operators prom imports is imported with prom-translate,
run with prom-run on the test's own inputs, and compared with its expected
outputs: floats within 1e-4 of the largest expected magnitude (the
ort-parity criterion), integers exactly. Every test is printed as PASS or
FAIL with the reason, then a summary.

--expected FILE lists the tests that must pass; a listed test that fails is
a regression and makes the exit code 1. Tests that pass but are not listed
are printed as new passes. --update rewrites FILE with the passing tests.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"

# The operators prom's importer takes (lib/Import/Onnx, docs/onnx-import.md).
IMPORTED_OPS = {
    "Add", "AveragePool", "BatchNormalization", "Clip", "Concat", "Constant",
    "Conv", "DequantizeLinear", "Div", "Dropout", "Flatten", "Gather", "Gemm",
    "GlobalAveragePool", "HardSigmoid", "HardSwish", "Identity", "MatMul",
    "MaxPool", "Mul", "QLinearConv", "QLinearMatMul", "QuantizeLinear",
    "Relu", "Reshape", "Shape", "Sigmoid", "Squeeze", "Sub", "Transpose",
    "Unsqueeze",
}

TOLERANCE = 1e-4


def first_error(text):
    for line in text.splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1].strip() if lines else "no message"


def read_tensors(directory, prefix):
    tensors = []
    i = 0
    while os.path.exists(os.path.join(directory, f"{prefix}_{i}.pb")):
        t = onnx.TensorProto()
        with open(os.path.join(directory, f"{prefix}_{i}.pb"), "rb") as f:
            t.ParseFromString(f.read())
        tensors.append(numpy_helper.to_array(t))
        i += 1
    return tensors


def compare(got, want):
    if want.dtype.kind == "f":
        if got.dtype.kind != "f":
            return f"result is {got.dtype}, expected {want.dtype}"
        scale = max(float(np.max(np.abs(want))) if want.size else 0.0, 1e-30)
        err = float(np.max(np.abs(got.astype(np.float64) - want))) \
            if want.size else 0.0
        if not np.isfinite(got).all() and np.isfinite(want).all():
            return "result is not finite"
        if err > TOLERANCE * scale:
            return f"max |error| {err:.3g} > {TOLERANCE} x {scale:.3g}"
        return None
    if not np.array_equal(got.astype(np.int64), want.astype(np.int64)):
        diff = int(np.sum(got.astype(np.int64) != want.astype(np.int64)))
        return f"{diff} of {want.size} integers differ"
    return None


def run_test(name, data, bin_dir):
    directory = os.path.join(data, name)
    model = onnx.load(os.path.join(directory, "model.onnx"))
    sets = sorted(d for d in os.listdir(directory)
                  if d.startswith("test_data_set"))
    with tempfile.TemporaryDirectory() as tmp:
        mlir = os.path.join(tmp, "model.mlir")
        r = subprocess.run([os.path.join(bin_dir, "prom-translate"),
                            "--import-onnx", os.path.join(directory,
                                                          "model.onnx"),
                            "-o", mlir], capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            if r.returncode < 0:
                return f"import crashed (signal {-r.returncode})"
            return "import: " + first_error(r.stderr)
        for s in sets:
            inputs = read_tensors(os.path.join(directory, s), "input")
            outputs = read_tensors(os.path.join(directory, s), "output")
            cmd = [os.path.join(bin_dir, "prom-run"), mlir, "--print-limit=0"]
            for i, x in enumerate(inputs):
                path = os.path.join(tmp, f"in{i}.bin")
                np.ascontiguousarray(x).tofile(path)
                cmd.append(f"--input-file={path}")
            for i in range(len(outputs)):
                cmd.append(f"--output-file={os.path.join(tmp, f'out{i}.bin')}")
            r = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=300)
            if r.returncode != 0:
                if r.returncode < 0:
                    return f"run crashed (signal {-r.returncode})"
                return "run: " + first_error(r.stderr)
            for i, want in enumerate(outputs):
                path = os.path.join(tmp, f"out{i}.bin")
                if not os.path.exists(path):
                    return f"no output {i}"
                raw = np.fromfile(path, dtype=np.uint8)
                if raw.size != want.nbytes:
                    return (f"output {i} has {raw.size} bytes, expected "
                            f"{want.nbytes} ({want.dtype}{list(want.shape)})")
                got = raw.view(want.dtype).reshape(want.shape)
                problem = compare(got, want)
                if problem:
                    return f"output {i}: {problem}"
    del model
    return None


def selected_tests(data):
    tests = []
    for name in sorted(os.listdir(data)):
        path = os.path.join(data, name, "model.onnx")
        if not os.path.exists(path):
            continue
        model = onnx.load(path)
        ops = {n.op_type for n in model.graph.node}
        if ops and ops <= IMPORTED_OPS:
            tests.append(name)
    return tests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--expected")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()

    tests = args.only or selected_tests(args.data)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = dict(zip(tests, pool.map(
            lambda t: run_test(t, args.data, args.bin_dir), tests)))
    passed = [t for t in tests if results[t] is None]
    for t in tests:
        print(f"PASS {t}" if results[t] is None else f"FAIL {t}: {results[t]}")
    print(f"{len(passed)} of {len(tests)} node tests pass")

    status = 0
    if args.expected and args.update:
        with open(args.expected, "w") as f:
            f.write("# ONNX node tests prom passes (node_tests.py --update)\n")
            f.writelines(t + "\n" for t in passed)
    elif args.expected:
        with open(args.expected) as f:
            expected = [l.strip() for l in f
                        if l.strip() and not l.startswith("#")]
        regressions = [t for t in expected if results.get(t, "not run")]
        new = [t for t in passed if t not in expected]
        for t in regressions:
            print(f"REGRESSION {t}: {results.get(t, 'not run')}")
        if new:
            print("new passes (add them to the list): " + " ".join(new))
        print(f"{len(regressions)} regressions")
        status = 1 if regressions else 0
    return status


if __name__ == "__main__":
    sys.exit(main())
