#!/usr/bin/env python3
"""Layer-by-layer agreement of prom's integer path with ONNX Runtime's int8
kernels on a QDQ model, free of compounding.

usage: qdq_layers_vs_ort.py --bin BUILD_BIN --ort RUN_JS --max-lsb N model.onnx

For every Conv that forms a full QDQ chain (input quantize/dequantize,
int8 weights, optional Clip, output QuantizeLinear), the chain is cut out of
the model (onnx.utils.extract_model) and run on its own by both: ONNX
Runtime with graph optimizations (which fuses it into its int8 QLinearConv
kernel) and prom (import, prom-qdq-to-integer, prom-run). The input is
random int8 values on the input's quantization grid, so both start from the
same integers. Prints each layer's largest difference in output LSB and the
share of outputs that differ, and fails if any difference exceeds N LSB.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference, utils


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {' '.join(cmd)}\n"
                 f"{result.stderr}")
    return result.stdout


def constant(graph, name):
    for init in graph.initializer:
        if init.name == name:
            return numpy_helper.to_array(init)
    for node in graph.node:
        if node.op_type == "Constant" and node.output[0] == name:
            return numpy_helper.to_array(node.attribute[0].t)
    return None


def chains(model):
    """(name, input tensor, input scale/zp, output tensor, output scale)."""
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    for conv in graph.node:
        if conv.op_type != "Conv":
            continue
        dq = producer.get(conv.input[0])
        q = producer.get(dq.input[0]) if dq is not None else None
        if dq is None or dq.op_type != "DequantizeLinear" or \
                q is None or q.op_type != "QuantizeLinear":
            continue
        out = conv.output[0]
        users = consumers.get(out, [])
        if len(users) == 1 and users[0].op_type in ("Clip", "Relu"):
            out = users[0].output[0]
            users = consumers.get(out, [])
        if len(users) != 1 or users[0].op_type != "QuantizeLinear":
            continue
        out_q = users[0]
        out_dq = consumers.get(out_q.output[0], [])
        if len(out_dq) != 1 or out_dq[0].op_type != "DequantizeLinear":
            continue
        yield (conv.name or conv.output[0], q.input[0],
               float(constant(graph, q.input[1])),
               int(constant(graph, q.input[2])), out_dq[0].output[0],
               float(constant(graph, out_q.input[1])))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--ort", required=True)
    parser.add_argument("--max-lsb", type=int, required=True)
    parser.add_argument("model")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        inferred = os.path.join(tmp, "inferred.onnx")
        model = shape_inference.infer_shapes(onnx.load(args.model))
        onnx.save(model, inferred)
        shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
                  for v in list(model.graph.value_info) +
                  list(model.graph.input)}
        rng = np.random.default_rng(0)
        worst, layers, differing, total = 0, 0, 0, 0
        for name, x_name, s_in, zp_in, y_name, s_out in chains(model):
            layer = os.path.join(tmp, "layer.onnx")
            utils.extract_model(inferred, layer, [x_name], [y_name])
            q = rng.integers(-128, 128, size=shapes[x_name])
            x = ((q - zp_in) * np.float32(s_in)).astype(np.float32)
            inp, ort_out, prom_out = (os.path.join(tmp, f) for f in
                                      ("in.bin", "ort.bin", "prom.bin"))
            x.tofile(inp)
            run(["node", args.ort, layer, inp, ort_out])
            mlir = os.path.join(tmp, "layer.mlir")
            run([os.path.join(args.bin, "prom-translate"), "--import-onnx",
                 layer, "-o", mlir])
            run([os.path.join(args.bin, "prom-opt"), mlir, "-o", mlir + ".int",
                 "--prom-qdq-to-integer", "--canonicalize"])
            if "prom.conv2d" not in open(mlir + ".int").read() and \
                    "prom.ternary_conv2d" not in open(mlir + ".int").read():
                sys.exit(f"{name}: prom-qdq-to-integer left the conv in float")
            run([os.path.join(args.bin, "prom-run"), mlir + ".int",
                 "--input-file", inp, "--output-file", prom_out])
            want = np.fromfile(ort_out, dtype=np.float32)
            got = np.fromfile(prom_out, dtype=np.float32)
            lsb = np.rint(np.abs(got - want) / s_out).astype(np.int64)
            layers += 1
            differing += int(np.count_nonzero(lsb))
            total += lsb.size
            worst = max(worst, int(lsb.max()))
            print(f"{name}: max {int(lsb.max())} LSB, "
                  f"{np.count_nonzero(lsb) / lsb.size:.4%} of {lsb.size} "
                  f"outputs differ")
        print(f"{layers} layers, {differing} of {total} outputs differ "
              f"({differing / max(total, 1):.4%}), worst {worst} LSB")
        if worst > args.max_lsb:
            print(f"FAIL: a difference above {args.max_lsb} LSB")
            sys.exit(1)
        print(f"ok: every difference <= {args.max_lsb} LSB")


if __name__ == "__main__":
    main()
