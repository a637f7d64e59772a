#!/usr/bin/python3
"""Runs the ONNX backend node tests (Debian's libonnx-testdata) through prom.

usage: node_tests.py BIN_DIR [--data DIR] [--unsupported FILE] [--update]
                     [--table] [--jobs N] [--only NAME...]

Each node test whose operators prom imports is imported with prom-translate,
run with prom-run on the test's own inputs, and compared with its expected
outputs: floats within 1e-4 of the largest expected magnitude (the
ort-parity criterion), integers exactly. Every test is printed as PASS or
FAIL with the reason, then a summary.

prom compiles static shapes and constant parameters. A graph input that
feeds a parameter slot (PARAMETER_INPUTS: Reshape's shape, Slice's starts,
Resize's sizes, ...) becomes an initializer holding the test's own value for
it, as onnx-mlir's backend tests do with their constant inputs; the other
inputs stay run-time inputs.

--unsupported FILE lists, one per line as "name: reason", the tests prom
does not pass. Every other test must pass, and a listed test that passes
must leave the list: either is an error (exit code 1). --update rewrites
FILE from this run. --table prints a Markdown table of the node tests per
operator (passed and total).
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
    "Abs", "Add", "AveragePool", "BatchNormalization", "Cast", "Ceil", "Clip",
    "Concat", "Constant", "Conv", "ConvTranspose", "DequantizeLinear", "Div",
    "Dropout", "Elu", "Erf", "Exp", "Expand", "Flatten", "Floor", "Gather",
    "Gemm", "GlobalAveragePool", "HardSigmoid", "HardSwish", "Identity",
    "LeakyRelu", "Log", "LogSoftmax", "MatMul", "Max", "MaxPool", "Mean",
    "Min", "Mul", "Neg", "Pad", "Pow", "QLinearConv", "QLinearMatMul",
    "QuantizeLinear", "Reciprocal", "ReduceMax", "ReduceMean", "ReduceMin",
    "ReduceSum", "Relu", "Reshape", "Resize", "Shape", "Sigmoid", "Slice",
    "Softmax", "Sqrt", "Squeeze", "Sub", "Sum", "Tanh", "Transpose",
    "Unsqueeze", "Upsample",
}

TOLERANCE = 1e-4

# The inputs of each operator that prom needs as constants at compile time.
PARAMETER_INPUTS = {
    "Reshape": [1], "Squeeze": [1], "Unsqueeze": [1], "Expand": [1],
    "Slice": [1, 2, 3, 4], "Pad": [1, 2, 3], "Resize": [1, 2, 3],
    "Upsample": [1], "ReduceSum": [1], "ReduceMean": [1], "ReduceMax": [1],
    "ReduceMin": [1], "Gather": [1], "Dropout": [1, 2],
    "QuantizeLinear": [1, 2], "DequantizeLinear": [1, 2],
    "QLinearConv": [1, 2, 4, 5, 6, 7, 8], "QLinearMatMul": [1, 2, 4, 5, 6, 7],
}


def parameter_inputs(model):
    """Positions, among the graph's inputs, of those feeding a parameter."""
    names = set()
    for n in model.graph.node:
        for i in PARAMETER_INPUTS.get(n.op_type, []):
            if i < len(n.input) and n.input[i]:
                names.add(n.input[i])
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    return {k for k, name in enumerate(inputs) if name in names}, inputs


def with_constants(model, inputs, values, positions):
    """The model with the graph inputs at `positions` as initializers."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    keep = [i for i in m.graph.input
            if i.name not in {inputs[k] for k in positions}]
    del m.graph.input[:]
    m.graph.input.extend(keep)
    for k in sorted(positions):
        m.graph.initializer.append(numpy_helper.from_array(values[k],
                                                           inputs[k]))
    return m


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
    positions, input_names = parameter_inputs(model)
    sets = sorted(d for d in os.listdir(directory)
                  if d.startswith("test_data_set"))
    with tempfile.TemporaryDirectory() as tmp:
        mlir = os.path.join(tmp, "model.mlir")
        imported = False
        for s in sets:
            try:
                inputs = read_tensors(os.path.join(directory, s), "input")
                outputs = read_tensors(os.path.join(directory, s), "output")
            except ValueError as e:  # sequences, optionals: not tensors
                return f"test data is not a tensor: {e}"
            # Parameters may differ between data sets: import each set's.
            if not imported or positions:
                path = os.path.join(directory, "model.onnx")
                if positions:
                    path = os.path.join(tmp, "model.onnx")
                    onnx.save(with_constants(model, input_names, inputs,
                                             positions), path)
                r = subprocess.run([os.path.join(bin_dir, "prom-translate"),
                                    "--import-onnx", path, "-o", mlir],
                                   capture_output=True, text=True,
                                   timeout=120)
                if r.returncode != 0:
                    if r.returncode < 0:
                        return f"import crashed (signal {-r.returncode})"
                    return "import: " + first_error(r.stderr)
                imported = True
            cmd = [os.path.join(bin_dir, "prom-run"), mlir, "--print-limit=0"]
            for i, x in enumerate(inputs):
                if i in positions:
                    continue
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


def print_table(data, tests, results):
    """Node tests per operator: a test counts for every operator it uses."""
    per_op = {}
    for t in tests:
        model = onnx.load(os.path.join(data, t, "model.onnx"))
        for op in {n.op_type for n in model.graph.node} - {"Constant"}:
            passed, total = per_op.get(op, (0, 0))
            per_op[op] = (passed + (results[t] is None), total + 1)
    print("| operator | node tests passed |")
    print("|---|---|")
    for op in sorted(per_op):
        passed, total = per_op[op]
        print(f"| {op} | {passed} / {total} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--unsupported")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--table", action="store_true")
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
    failing = {t: results[t] for t in tests if results[t] is not None}
    if args.unsupported and args.update:
        with open(args.unsupported, "w") as f:
            f.write("# ONNX node tests prom does not pass, with the reason "
                    "(node_tests.py --update)\n")
            f.writelines(f"{t}: {r}\n" for t, r in failing.items())
    elif args.unsupported:
        with open(args.unsupported) as f:
            listed = {l.split(":", 1)[0].strip() for l in f
                      if l.strip() and not l.startswith("#")}
        regressions = [t for t in failing if t not in listed]
        stale = [t for t in passed if t in listed]
        for t in regressions:
            print(f"REGRESSION {t}: {failing[t]}")
        for t in stale:
            print(f"NOW PASSES {t}: remove it from the list")
        print(f"{len(regressions)} regressions, {len(stale)} stale entries")
        status = 1 if regressions or stale else 0
    if args.table:
        print_table(args.data, tests, results)
    return status


if __name__ == "__main__":
    sys.exit(main())
