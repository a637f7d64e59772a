#!/usr/bin/python3
"""Writes a synthetic MobileNetV2-like model of a given depth.

    /usr/bin/python3 scripts/models/make_deep_model.py BLOCKS OUT.onnx

A 3x3 stem (3 -> 24 channels, stride 2, 56x56 out of 1x3x112x112), then
BLOCKS inverted-residual blocks at 56x56: 1x1 expand (24 -> 96), ReLU6,
3x3 depthwise, ReLU6, 1x1 project (96 -> 24), residual Add; then a global
average pool, Flatten and a 24 -> 10 Gemm. Every block has the same shapes,
so compile time should grow linearly in BLOCKS
(scripts/bench-compile-scaling.sh). Weights are random (numpy seed 0) and
scaled so that activations stay O(1). Needs onnx and numpy.
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

WIDTH, EXPANDED, SIDE = 24, 96, 112


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit():
        sys.exit(__doc__)
    blocks, out = int(argv[1]), argv[2]
    rng = np.random.RandomState(0)
    inits, nodes = [], []

    def weight(name, shape):
        fan_in = int(np.prod(shape[1:]))
        w = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
        inits.append(numpy_helper.from_array(w.astype(np.float32), name))
        bias = rng.uniform(-0.1, 0.1, shape[0]).astype(np.float32)
        inits.append(numpy_helper.from_array(bias, name + "_b"))
        return [name, name + "_b"]

    def conv(x, y, shape, stride=1, group=1):
        k = shape[2]
        nodes.append(helper.make_node(
            "Conv", [x] + weight(y + "_w", shape), [y], name=y,
            kernel_shape=[k, k], strides=[stride, stride], group=group,
            pads=[k // 2] * 4))
        return y

    def relu6(x):
        nodes.append(helper.make_node("Clip", [x, "zero", "six"], [x + "_r"],
                                      name=x + "_clip"))
        return x + "_r"

    inits += [numpy_helper.from_array(np.float32(0), "zero"),
              numpy_helper.from_array(np.float32(6), "six")]
    x = relu6(conv("input", "stem", [WIDTH, 3, 3, 3], stride=2))
    for i in range(blocks):
        e = relu6(conv(x, f"b{i}_expand", [EXPANDED, WIDTH, 1, 1]))
        d = relu6(conv(e, f"b{i}_dw", [EXPANDED, 1, 3, 3], group=EXPANDED))
        p = conv(d, f"b{i}_project", [WIDTH, EXPANDED, 1, 1])
        nodes.append(helper.make_node("Add", [x, p], [f"b{i}_add"],
                                      name=f"b{i}_add"))
        x = f"b{i}_add"
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["pool"]))
    nodes.append(helper.make_node("Flatten", ["pool"], ["flat"]))
    nodes.append(helper.make_node("Gemm", ["flat"] + weight("fc", [10, WIDTH]),
                                  ["logits"], transB=1))
    graph = helper.make_graph(
        nodes, f"deep_{blocks}",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       [1, 3, SIDE, SIDE])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])],
        inits)
    model = helper.make_model(
        graph, producer_name="prom make_deep_model.py",
        opset_imports=[helper.make_operatorsetid("", 13)])
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, out)


if __name__ == "__main__":
    main(sys.argv)
