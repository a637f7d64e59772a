#!/usr/bin/python3
"""Writes prom's small ONNX test models, one file per case.

    /usr/bin/python3 scripts/models/make_test_models.py [OUT_DIR]

OUT_DIR defaults to test/Import/Onnx/models/ in the repository. Needs only
onnx and numpy (Debian's python3-onnx, python3-numpy; see
scripts/install-model-tools.sh). Output is deterministic: each case draws its
numbers from its own numpy RandomState seeded from the case name, so adding a
case does not change the others.

Every valid model has exactly one graph input (float32, NCHW for the image
cases) and is checked with onnx.checker.check_model(full_check=True); the
second operand of binary ops is an initializer. Expected outputs are not
written here: tests get them by running the model with ONNX Runtime
(tools/ort/run.js).

The bad inputs (not_protobuf, truncated, missing_initializer, unknown_ops,
external_data_missing, shape_mismatch, conv_weight_rank,
dequantize_int32_zero_point, huge_input, batchnorm_training_mode) are for
the importer's error paths;
unknown_ops is a valid ONNX model (Einsum, Hardmax) that prom does not
support, and conv_weight_rank is one that crashes ONNX's own shape inference
(rank-5 weights on a rank-4 input), so it is neither checked nor inferred
here.
"""

import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "test" / "Import" / "Onnx" / "models"
MAX_BYTES = 50 * 1024
PRODUCER = "prom make_test_models.py"

F32 = TensorProto.FLOAT


def rng_for(name):
    return np.random.RandomState(zlib.crc32(name.encode()) & 0x7FFFFFFF)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def vinfo(name, shape, elem=F32):
    return helper.make_tensor_value_info(name, elem, shape)


class Case:
    """One model; build() returns the ModelProto, or bytes for raw files."""

    def __init__(self, name, build, check=True, note=""):
        self.name, self.build, self.check, self.note = name, build, check, note


def make_model(name, nodes, inputs, output_names, inits, opset=13,
               infer=True, output_shapes=None):
    """Builds a model; output shapes come from ONNX shape inference unless
    given in output_shapes ({name: shape}) or infer is False."""
    output_shapes = output_shapes or {}
    outputs = [vinfo(o, output_shapes.get(o)) for o in output_names]
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=inits)
    model = helper.make_model(
        graph, producer_name=PRODUCER,
        opset_imports=[helper.make_operatorsetid("", opset)])
    if infer:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        by_name = {o.name: o for o in inferred.graph.output}
        for o in model.graph.output:
            if o.name not in output_shapes:
                o.CopyFrom(by_name[o.name])
    return model


# --- convolutions ------------------------------------------------------------

def conv_case(name, cin=3, cout=4, hw=(8, 8), k=3, bias=True, batch=1,
              **attrs):
    def build():
        rng = rng_for(name)
        group = attrs.get("group", 1)
        w = f32(rng.randn(cout, cin // group, k, k) * 0.5)
        inits = [init("W", w)]
        ins = ["X", "W"]
        if bias:
            inits.append(init("B", f32(rng.randn(cout) * 0.1)))
            ins.append("B")
        node = helper.make_node("Conv", ins, ["Y"], name="conv0",
                                kernel_shape=[k, k], **attrs)
        return make_model(name, [node], [vinfo("X", [batch, cin, *hw])],
                          ["Y"], inits)
    return Case(name, build)


def conv_bn_relu6():
    name = "conv_bn_relu6"
    rng = rng_for(name)
    cin, cout = 3, 8
    inits = [
        init("W", f32(rng.randn(cout, cin, 3, 3) * 0.5)),
        init("B", f32(rng.randn(cout) * 0.1)),
        init("bn_scale", f32(rng.uniform(0.5, 2.0, cout))),
        init("bn_bias", f32(rng.randn(cout) * 0.5)),
        init("bn_mean", f32(rng.randn(cout) * 0.2)),
        init("bn_var", f32(rng.uniform(0.5, 1.5, cout))),
        init("clip_min", f32(0.0)),
        init("clip_max", f32(6.0)),
    ]
    nodes = [
        helper.make_node("Conv", ["X", "W", "B"], ["conv_out"], name="conv0",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["conv_out", "bn_scale", "bn_bias", "bn_mean",
                          "bn_var"], ["bn_out"], name="bn0", epsilon=1e-5),
        helper.make_node("Clip", ["bn_out", "clip_min", "clip_max"], ["Y"],
                         name="relu6"),
    ]
    return make_model(name, nodes, [vinfo("X", [1, cin, 8, 8])], ["Y"], inits)


def clip_attr_opset9():
    node = helper.make_node("Clip", ["X"], ["Y"], name="clip0", min=-1.0,
                            max=1.0)
    return make_model("clip_attr_opset9", [node], [vinfo("X", [1, 3, 8, 8])],
                      ["Y"], [], opset=9)


# --- elementwise -------------------------------------------------------------

def unary(name, op, opset=13, **attrs):
    def build():
        node = helper.make_node(op, ["X"], ["Y"], name=op.lower() + "0",
                                **attrs)
        return make_model(name, [node], [vinfo("X", [1, 3, 8, 8])], ["Y"], [],
                          opset=opset)
    return Case(name, build)


def binary(name, op, const_shape, lo=-1.0, hi=1.0):
    def build():
        rng = rng_for(name)
        node = helper.make_node(op, ["X", "C"], ["Y"], name=op.lower() + "0")
        c = f32(rng.uniform(lo, hi, const_shape))
        return make_model(name, [node], [vinfo("X", [1, 3, 8, 8])], ["Y"],
                          [init("C", c)])
    return Case(name, build)


# --- pooling -----------------------------------------------------------------

def pool(name, op, **attrs):
    def build():
        node = helper.make_node(op, ["X"], ["Y"], name=op.lower() + "0",
                                **attrs)
        return make_model(name, [node], [vinfo("X", [1, 4, 8, 8])], ["Y"], [])
    return Case(name, build)


# --- matmul / shape ops ------------------------------------------------------

def gemm():
    name = "gemm"
    rng = rng_for(name)
    nodes = [
        helper.make_node("Flatten", ["X"], ["flat"], name="flatten0", axis=1),
        helper.make_node("Gemm", ["flat", "W", "B"], ["Y"], name="gemm0",
                         transB=1, alpha=1.0, beta=1.0),
    ]
    inits = [init("W", f32(rng.randn(10, 64) * 0.2)),
             init("B", f32(rng.randn(10) * 0.1))]
    return make_model(name, nodes, [vinfo("X", [1, 4, 4, 4])], ["Y"], inits)


def matmul():
    name = "matmul"
    rng = rng_for(name)
    node = helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul0")
    return make_model(name, [node], [vinfo("X", [2, 16])], ["Y"],
                      [init("W", f32(rng.randn(16, 8) * 0.3))])


def simple(name, op, in_shape, const_inputs=(), opset=13, **attrs):
    """One node; const_inputs are (name, array) initializers fed after X."""
    def build():
        node = helper.make_node(op, ["X"] + [c[0] for c in const_inputs],
                                ["Y"], name=op.lower() + "0", **attrs)
        inits = [init(n, a) for n, a in const_inputs]
        return make_model(name, [node], [vinfo("X", in_shape)], ["Y"], inits,
                          opset=opset)
    return Case(name, build)


def concat():
    name = "concat"
    rng = rng_for(name)
    node = helper.make_node("Concat", ["X", "K", "X"], ["Y"], name="concat0",
                            axis=1)
    return make_model(name, [node], [vinfo("X", [1, 3, 8, 8])], ["Y"],
                      [init("K", f32(rng.randn(1, 2, 8, 8)))])


def dropout():
    node = helper.make_node("Dropout", ["X", "ratio"], ["Y"], name="dropout0")
    return make_model("dropout", [node], [vinfo("X", [1, 3, 8, 8])], ["Y"],
                      [init("ratio", f32(0.5))])


def constant_weights():
    name = "constant_weights"
    rng = rng_for(name)
    w = f32(rng.randn(4, 3, 3, 3) * 0.5)
    b = f32(rng.randn(4) * 0.1)
    nodes = [
        helper.make_node("Constant", [], ["W"], name="weights",
                         value=numpy_helper.from_array(w, "W_value")),
        helper.make_node("Constant", [], ["B"], name="bias",
                         value=numpy_helper.from_array(b, "B_value")),
        helper.make_node("Conv", ["X", "W", "B"], ["Y"], name="conv0",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    return make_model(name, nodes, [vinfo("X", [1, 3, 8, 8])], ["Y"], [])


def shape_gather_reshape():
    """PyTorch's flatten: Reshape(X, Concat(Unsqueeze(Gather(Shape(X), 0)), [-1]))."""
    nodes = [
        helper.make_node("Shape", ["X"], ["shape"], name="shape0"),
        helper.make_node("Gather", ["shape", "idx0"], ["batch"], name="gather0",
                         axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"],
                         name="unsqueeze0"),
        helper.make_node("Concat", ["batch1", "minus1"], ["new_shape"],
                         name="concat0", axis=0),
        helper.make_node("Reshape", ["X", "new_shape"], ["Y"], name="reshape0"),
    ]
    inits = [init("idx0", np.array(0, dtype=np.int64)),
             init("axes0", np.array([0], dtype=np.int64)),
             init("minus1", np.array([-1], dtype=np.int64))]
    # ONNX shape inference does not fold the shape chain: give Y's shape.
    return make_model("shape_gather_reshape", nodes,
                      [vinfo("X", [1, 4, 4, 4])], ["Y"], inits,
                      output_shapes={"Y": [1, 64]})


def matmul_batched(name, x_shape, w_shape):
    """A runtime operand times a constant one with numpy's batch rules."""
    def build():
        rng = rng_for(name)
        node = helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul0")
        return make_model(name, [node], [vinfo("X", x_shape)], ["Y"],
                          [init("W", f32(rng.randn(*w_shape) * 0.3))])
    return Case(name, build)


def resize(name, in_shape, scales=None, sizes=None, opset=13, **attrs):
    """Resize by constant scales or sizes (roi unused, empty names)."""
    def build():
        inputs = ["X", "", "scales" if scales else ""]
        inits = []
        if scales:
            inits.append(init("scales", f32(scales)))
        if sizes:
            inputs.append("sizes")
            inits.append(init("sizes", np.array(sizes, dtype=np.int64)))
        node = helper.make_node("Resize", inputs, ["Y"], name="resize0",
                                **attrs)
        return make_model(name, [node], [vinfo("X", in_shape)], ["Y"], inits,
                          opset=opset)
    return Case(name, build)


def resize_shape_sizes():
    """PyTorch's interpolate: sizes = Concat(Slice(Shape(X), 0, 2), [H, W]),
    which shape inference does not fold, then a 1x1 Conv whose shape
    follows from it."""
    name = "resize_shape_sizes"
    rng = rng_for(name)
    i64 = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    nodes = [
        helper.make_node("Shape", ["X"], ["shape"], name="shape0"),
        helper.make_node("Slice", ["shape", "start", "end", "axis"], ["nc"],
                         name="slice0"),
        helper.make_node("Concat", ["nc", "hw"], ["sizes"], name="concat0",
                         axis=0),
        helper.make_node("Resize", ["X", "", "", "sizes"], ["up"],
                         name="resize0", mode="linear",
                         coordinate_transformation_mode="half_pixel"),
        helper.make_node("Conv", ["up", "W"], ["Y"], name="conv0",
                         kernel_shape=[1, 1]),
    ]
    inits = [init("start", i64([0])), init("end", i64([2])),
             init("axis", i64([0])), init("hw", i64([16, 12])),
             init("W", f32(rng.randn(4, 3, 1, 1) * 0.5))]
    return make_model(name, nodes, [vinfo("X", [1, 3, 8, 8])], ["Y"], inits,
                      output_shapes={"Y": [1, 4, 16, 12]})


def conv_transpose():
    """Stride 2, pads 1, output_padding 1: 5x5 -> 10x10, as decoders do."""
    name = "conv_transpose"
    rng = rng_for(name)
    node = helper.make_node("ConvTranspose", ["X", "W", "B"], ["Y"],
                            name="deconv0", kernel_shape=[3, 3],
                            strides=[2, 2], pads=[1, 1, 1, 1],
                            output_padding=[1, 1])
    inits = [init("W", f32(rng.randn(4, 3, 3, 3) * 0.5)),
             init("B", f32(rng.randn(3) * 0.1))]
    return make_model(name, [node], [vinfo("X", [1, 4, 5, 5])], ["Y"], inits)


def conv1d_pool(name, opset):
    """A 1-D Conv (pads, stride 2, dilation 2) and MaxPool on [1, 4, 16]."""
    def build():
        rng = rng_for(name)
        nodes = [
            helper.make_node("Conv", ["X", "W", "B"], ["c"], name="conv0",
                             kernel_shape=[3], pads=[2, 1], strides=[2],
                             dilations=[2]),
            helper.make_node("Relu", ["c"], ["r"], name="relu0"),
            helper.make_node("MaxPool", ["r"], ["Y"], name="pool0",
                             kernel_shape=[2], strides=[2]),
        ]
        inits = [init("W", f32(rng.randn(6, 4, 3) * 0.5)),
                 init("B", f32(rng.randn(6) * 0.1))]
        return make_model(name, nodes, [vinfo("X", [1, 4, 16])], ["Y"], inits,
                          opset=opset)
    return Case(name, build)


def abs_sqrt_log():
    nodes = [
        helper.make_node("Abs", ["X"], ["a"], name="abs0"),
        helper.make_node("Sqrt", ["a"], ["s"], name="sqrt0"),
        helper.make_node("Add", ["s", "one"], ["p"], name="add0"),
        helper.make_node("Log", ["p"], ["Y"], name="log0"),
    ]
    return make_model("abs_sqrt_log", nodes, [vinfo("X", [1, 3, 8, 8])],
                      ["Y"], [init("one", f32(1.0))])


# --- quantized ---------------------------------------------------------------
# Activations are int8 with a zero point, weights int8 symmetric per output
# channel, biases int32 with scale x_scale * w_scale.

X_SCALE, X_ZP = 0.03, -3     # int8 input: covers about [-3.75, 3.9]
Y_SCALE, Y_ZP = 0.1, 5


def quant_weights(w):
    """Symmetric per-output-channel int8; returns (w_q, scales)."""
    flat = np.abs(w.reshape(w.shape[0], -1)).max(axis=1)
    scales = f32(np.maximum(flat, 1e-8) / 127.0)
    shape = (-1,) + (1,) * (w.ndim - 1)
    wq = np.clip(np.round(w / scales.reshape(shape)), -127, 127).astype(np.int8)
    return wq, scales


def qdq_conv():
    name = "qdq_conv"
    rng = rng_for(name)
    cin, cout = 3, 4
    w = f32(rng.randn(cout, cin, 3, 3) * 0.5)
    wq, ws = quant_weights(w)
    b = f32(rng.randn(cout) * 0.2)
    bq = np.round(b / (X_SCALE * ws)).astype(np.int32)
    inits = [
        init("x_scale", f32(X_SCALE)), init("x_zp", np.int8(X_ZP)),
        init("w_q", wq), init("w_scale", ws),
        init("w_zp", np.zeros(cout, np.int8)),
        init("b_q", bq), init("b_scale", f32(X_SCALE * ws)),
        init("b_zp", np.zeros(cout, np.int32)),
        init("y_scale", f32(Y_SCALE)), init("y_zp", np.int8(Y_ZP)),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["X", "x_scale", "x_zp"], ["x_q"],
                         name="quant_x"),
        helper.make_node("DequantizeLinear", ["x_q", "x_scale", "x_zp"],
                         ["x_dq"], name="dequant_x"),
        helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zp"],
                         ["w_dq"], name="dequant_w", axis=0),
        helper.make_node("DequantizeLinear", ["b_q", "b_scale", "b_zp"],
                         ["b_dq"], name="dequant_b", axis=0),
        helper.make_node("Conv", ["x_dq", "w_dq", "b_dq"], ["conv_out"],
                         name="conv0", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("QuantizeLinear", ["conv_out", "y_scale", "y_zp"],
                         ["y_q"], name="quant_y"),
        helper.make_node("DequantizeLinear", ["y_q", "y_scale", "y_zp"], ["Y"],
                         name="dequant_y"),
    ]
    return make_model(name, nodes, [vinfo("X", [1, cin, 8, 8])], ["Y"], inits)


def qdq_add_pool(pool=True):
    """A residual add of two quantized tensors, then (with pool) a quantized
    global average pool: the QDQ forms of prom.add and prom.avg_pool2d."""
    name = "qdq_add_pool" if pool else "qdq_add"
    q = [("x", 0.03, -3), ("r", 0.02, -128), ("s", 0.045, 7), ("p", 0.03, 2)]
    inits = []
    for tag, scale, zp in q:
        inits += [init(tag + "_scale", f32(scale)), init(tag + "_zp", np.int8(zp))]

    def qdq(src, tag, dst):
        return [
            helper.make_node("QuantizeLinear", [src, tag + "_scale", tag + "_zp"],
                             [dst + "_q"], name="quant_" + dst),
            helper.make_node("DequantizeLinear",
                             [dst + "_q", tag + "_scale", tag + "_zp"], [dst],
                             name="dequant_" + dst),
        ]
    nodes = (qdq("X", "x", "a") +
             [helper.make_node("Relu", ["X"], ["relu"], name="relu0")] +
             qdq("relu", "r", "b") +
             [helper.make_node("Add", ["a", "b"], ["sum"], name="add0")])
    if not pool:
        nodes += qdq("sum", "s", "Y")
        return make_model(name, nodes, [vinfo("X", [1, 4, 6, 6])], ["Y"], inits)
    nodes += (qdq("sum", "s", "sum_dq") +
              [helper.make_node("GlobalAveragePool", ["sum_dq"], ["pool"],
                                name="pool0")] +
              qdq("pool", "p", "Y"))
    return make_model(name, nodes, [vinfo("X", [1, 4, 6, 6])], ["Y"], inits)


def qlinearconv():
    name = "qlinearconv"
    rng = rng_for(name)
    cin, cout = 3, 4
    w = f32(rng.randn(cout, cin, 3, 3) * 0.5)
    wq, ws = quant_weights(w)
    bq = np.round(f32(rng.randn(cout) * 0.2) / (X_SCALE * ws)).astype(np.int32)
    inits = [
        init("x_scale", f32(X_SCALE)), init("x_zp", np.int8(X_ZP)),
        init("w_q", wq), init("w_scale", ws),
        init("w_zp", np.zeros(cout, np.int8)),
        init("y_scale", f32(Y_SCALE)), init("y_zp", np.int8(Y_ZP)),
        init("b_q", bq),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["X", "x_scale", "x_zp"], ["x_q"],
                         name="quant_x"),
        helper.make_node("QLinearConv",
                         ["x_q", "x_scale", "x_zp", "w_q", "w_scale", "w_zp",
                          "y_scale", "y_zp", "b_q"], ["y_q"], name="qconv0",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("DequantizeLinear", ["y_q", "y_scale", "y_zp"], ["Y"],
                         name="dequant_y"),
    ]
    return make_model(name, nodes, [vinfo("X", [1, cin, 8, 8])], ["Y"], inits)


def convinteger():
    """Dynamic-quantization style: uint8 input, uint8 weights with zero
    points (ONNX Runtime's CPU ConvInteger takes uint8 only), int32 result
    rescaled to float."""
    name = "convinteger"
    rng = rng_for(name)
    cin, cout = 3, 4
    x_scale, x_zp = 0.03, 128
    w = f32(rng.randn(cout, cin, 3, 3) * 0.5)
    w_scale = float(np.abs(w).max() / 127.0)
    w_zp = 128
    wq = np.clip(np.round(w / w_scale) + w_zp, 0, 255).astype(np.uint8)
    inits = [
        init("x_scale", f32(x_scale)), init("x_zp", np.uint8(x_zp)),
        init("w_q", wq), init("w_zp", np.uint8(w_zp)),
        init("out_scale", f32(x_scale * w_scale)),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["X", "x_scale", "x_zp"], ["x_q"],
                         name="quant_x"),
        helper.make_node("ConvInteger", ["x_q", "w_q", "x_zp", "w_zp"],
                         ["acc"], name="convint0", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Cast", ["acc"], ["acc_f"], name="cast0", to=F32),
        helper.make_node("Mul", ["acc_f", "out_scale"], ["Y"], name="rescale"),
    ]
    return make_model(name, nodes, [vinfo("X", [1, cin, 8, 8])], ["Y"], inits)


def qlinearmatmul():
    name = "qlinearmatmul"
    rng = rng_for(name)
    w = f32(rng.randn(16, 8) * 0.3)
    b_scale = float(np.abs(w).max() / 127.0)
    bq = np.clip(np.round(w / b_scale), -127, 127).astype(np.int8)
    inits = [
        init("a_scale", f32(X_SCALE)), init("a_zp", np.int8(X_ZP)),
        init("b_q", bq), init("b_scale", f32(b_scale)),
        init("b_zp", np.int8(0)),
        init("y_scale", f32(Y_SCALE)), init("y_zp", np.int8(Y_ZP)),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["X", "a_scale", "a_zp"], ["a_q"],
                         name="quant_a"),
        helper.make_node("QLinearMatMul",
                         ["a_q", "a_scale", "a_zp", "b_q", "b_scale", "b_zp",
                          "y_scale", "y_zp"], ["y_q"], name="qmatmul0"),
        helper.make_node("DequantizeLinear", ["y_q", "y_scale", "y_zp"], ["Y"],
                         name="dequant_y"),
    ]
    return make_model(name, nodes, [vinfo("X", [2, 16])], ["Y"], inits)


def matmulinteger():
    name = "matmulinteger"
    rng = rng_for(name)
    a_scale, a_zp = 0.03, 128
    w = f32(rng.randn(16, 8) * 0.3)
    b_scale = float(np.abs(w).max() / 127.0)
    bq = np.clip(np.round(w / b_scale), -127, 127).astype(np.int8)
    inits = [
        init("a_scale", f32(a_scale)), init("a_zp", np.uint8(a_zp)),
        init("b_q", bq), init("b_zp", np.int8(0)),
        init("out_scale", f32(a_scale * b_scale)),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["X", "a_scale", "a_zp"], ["a_q"],
                         name="quant_a"),
        helper.make_node("MatMulInteger", ["a_q", "b_q", "a_zp", "b_zp"],
                         ["acc"], name="matmulint0"),
        helper.make_node("Cast", ["acc"], ["acc_f"], name="cast0", to=F32),
        helper.make_node("Mul", ["acc_f", "out_scale"], ["Y"], name="rescale"),
    ]
    return make_model(name, nodes, [vinfo("X", [2, 16])], ["Y"], inits)


def dynamic_batch():
    name = "dynamic_batch"
    rng = rng_for("conv_basic")
    w = f32(rng.randn(4, 3, 3, 3) * 0.5)
    b = f32(rng.randn(4) * 0.1)
    node = helper.make_node("Conv", ["X", "W", "B"], ["Y"], name="conv0",
                            kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    return make_model(name, [node], [vinfo("X", ["N", 3, 8, 8])], ["Y"],
                      [init("W", w), init("B", b)],
                      infer=False, output_shapes={"Y": ["N", 4, 8, 8]})


# --- bad inputs --------------------------------------------------------------

def uint8_io():
    """A uint8 image in, uint8 out: DequantizeLinear, Relu, QuantizeLinear."""
    nodes = [
        helper.make_node("DequantizeLinear", ["X", "x_scale", "x_zp"], ["x"],
                         name="dequant_x"),
        helper.make_node("Relu", ["x"], ["r"], name="relu0"),
        helper.make_node("QuantizeLinear", ["r", "y_scale", "y_zp"], ["Y"],
                         name="quant_y"),
    ]
    inits = [init("x_scale", f32(0.05)), init("x_zp", np.uint8(128)),
             init("y_scale", f32(0.025)), init("y_zp", np.uint8(10))]
    graph = helper.make_graph(
        nodes, "uint8_io", [vinfo("X", [1, 3, 8, 8], TensorProto.UINT8)],
        [vinfo("Y", [1, 3, 8, 8], TensorProto.UINT8)], initializer=inits)
    return helper.make_model(
        graph, producer_name=PRODUCER,
        opset_imports=[helper.make_operatorsetid("", 13)])


def slice_dynamic_starts():
    """Slice whose starts are a second graph input: not a constant."""
    node = helper.make_node("Slice", ["X", "starts", "ends"], ["Y"],
                            name="slice0")
    return make_model("slice_dynamic_starts", [node],
                      [vinfo("X", [1, 3, 8, 8]),
                       vinfo("starts", [1], TensorProto.INT64)], ["Y"],
                      [init("ends", np.array([2], dtype=np.int64))],
                      output_shapes={"Y": [1, 3, 8, 8]})


def conv_transpose_groups():
    rng = rng_for("conv_transpose_groups")
    node = helper.make_node("ConvTranspose", ["X", "W"], ["Y"],
                            name="deconv0", kernel_shape=[3, 3], group=2)
    return make_model("conv_transpose_groups", [node],
                      [vinfo("X", [1, 4, 5, 5])], ["Y"],
                      [init("W", f32(rng.randn(4, 1, 3, 3)))])


def fails_to_parse(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            onnx.load_from_string(data)
        except Exception:
            return True
    return False


def not_protobuf():
    rng = rng_for("not_protobuf")
    data = b"this is not an ONNX model\n" + rng.bytes(200)
    if fails_to_parse(data):
        return data
    raise AssertionError("not_protobuf.onnx unexpectedly parses")


def truncated(conv_basic_bytes):
    data = conv_basic_bytes[: int(len(conv_basic_bytes) * 0.4)]
    if fails_to_parse(data):
        return data
    raise AssertionError("truncated.onnx unexpectedly parses")


def missing_initializer():
    rng = rng_for("missing_initializer")
    node = helper.make_node("Conv", ["X", "W_missing", "B"], ["Y"],
                            name="conv_missing_weight", kernel_shape=[3, 3],
                            pads=[1, 1, 1, 1])
    return make_model("missing_initializer", [node],
                      [vinfo("X", [1, 3, 8, 8])], ["Y"],
                      [init("B", f32(rng.randn(4) * 0.1))], infer=False,
                      output_shapes={"Y": [1, 4, 8, 8]})


def unknown_ops():
    nodes = [
        helper.make_node("Einsum", ["X"], ["t"], name="einsum_unsupported",
                         equation="bij->bji"),
        helper.make_node("Hardmax", ["t"], ["Y"], name="hardmax_unsupported",
                         axis=-1),
    ]
    return make_model("unknown_ops", nodes, [vinfo("X", [1, 4, 8])], ["Y"], [],
                      output_shapes={"Y": [1, 8, 4]})


def external_data_missing():
    rng = rng_for("external_data_missing")
    w = f32(rng.randn(4, 3, 3, 3))
    t = TensorProto(name="W", data_type=F32, dims=list(w.shape))
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "missing_weights.bin"), ("offset", "0"),
                 ("length", str(w.nbytes))):
        e = t.external_data.add()
        e.key, e.value = k, v
    node = helper.make_node("Conv", ["X", "W"], ["Y"], name="conv0",
                            kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    return make_model("external_data_missing", [node],
                      [vinfo("X", [1, 3, 8, 8])], ["Y"], [t], infer=False,
                      output_shapes={"Y": [1, 4, 8, 8]})


def shape_mismatch():
    rng = rng_for("shape_mismatch")
    node = helper.make_node("Add", ["X", "C"], ["Y"], name="add_mismatch")
    return make_model("shape_mismatch", [node], [vinfo("X", [1, 3, 8, 8])],
                      ["Y"], [init("C", f32(rng.randn(1, 4, 8, 8)))],
                      infer=False, output_shapes={"Y": [1, 3, 8, 8]})


def conv_weight_rank():
    rng = rng_for("conv_weight_rank")
    relu = helper.make_node("Relu", ["X"], ["R"], name="relu0")
    conv = helper.make_node("Conv", ["R", "W"], ["Y"], name="conv_rank5")
    return make_model("conv_weight_rank", [relu, conv],
                      [vinfo("X", [1, 3, 8, 8])], ["Y"],
                      [init("W", f32(rng.randn(4, 3, 3, 3, 3)))], infer=False,
                      output_shapes={"Y": [1, 4, 6, 6]})


def dequantize_int32_zero_point():
    dq = helper.make_node("DequantizeLinear", ["B_q", "B_scale", "B_zp"],
                          ["B"], name="dq_bias")
    add = helper.make_node("Add", ["X", "B"], ["Y"], name="add0")
    inits = [init("B_q", np.array([5, -3, 7, 0], dtype=np.int32)),
             init("B_scale", f32(0.5)),
             init("B_zp", np.array(3, dtype=np.int32))]
    return make_model("dequantize_int32_zero_point", [dq, add],
                      [vinfo("X", [1, 4])], ["Y"], inits)


def huge_input():
    rng = rng_for("huge_input")
    node = helper.make_node("Conv", ["X", "W"], ["Y"], name="conv0",
                            kernel_shape=[3, 3])
    side = 1 << 20
    return make_model("huge_input", [node], [vinfo("X", [1, 3, side, side])],
                      ["Y"], [init("W", f32(rng.randn(4, 3, 3, 3)))])


def batchnorm_training_mode():
    rng = rng_for("batchnorm_training_mode")
    node = helper.make_node("BatchNormalization",
                            ["X", "scale", "bias", "mean", "var"],
                            ["Y", "running_mean", "running_var"],
                            name="bn_training", training_mode=1)
    inits = [init(n, f32(rng.rand(3) + 0.5))
             for n in ("scale", "bias", "mean", "var")]
    return make_model("batchnorm_training_mode", [node],
                      [vinfo("X", [2, 3, 4, 4])], ["Y"], inits, opset=15)


# --- the list ----------------------------------------------------------------

def cases():
    i64 = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    return [
        conv_case("conv_basic", pads=[1, 1, 1, 1], strides=[1, 1]),
        conv_case("conv_stride2_pads_asym", pads=[0, 1, 1, 0], strides=[2, 2]),
        conv_case("conv_dilation2", pads=[2, 2, 2, 2], dilations=[2, 2]),
        conv_case("conv_depthwise", cin=4, cout=4, pads=[1, 1, 1, 1], group=4),
        conv_case("conv_grouped", cin=4, cout=6, pads=[1, 1, 1, 1], group=2),
        conv_case("conv_autopad_same_upper", auto_pad="SAME_UPPER",
                  strides=[2, 2]),
        conv_case("conv_pointwise_nobias", cin=4, cout=8, k=1, bias=False),
        Case("conv_bn_relu6", conv_bn_relu6),
        Case("clip_attr_opset9", clip_attr_opset9),
        unary("relu", "Relu"),
        unary("hardsigmoid", "HardSigmoid", alpha=0.2, beta=0.5),
        unary("hardswish", "HardSwish", opset=14),
        unary("sigmoid", "Sigmoid"),
        binary("add", "Add", (1, 3, 1, 1)),
        binary("sub", "Sub", (1, 3, 8, 8)),
        binary("mul", "Mul", (3, 1, 1)),
        binary("div_by_constant", "Div", (), lo=2.0, hi=4.0),
        pool("global_average_pool", "GlobalAveragePool"),
        pool("average_pool", "AveragePool", kernel_shape=[3, 3],
             strides=[2, 2], pads=[1, 1, 1, 1]),
        pool("max_pool", "MaxPool", kernel_shape=[3, 3], strides=[2, 2],
             pads=[1, 1, 1, 1]),
        pool("max_pool_ceil", "MaxPool", kernel_shape=[3, 3], strides=[2, 2],
             ceil_mode=1),
        pool("average_pool_ceil", "AveragePool", kernel_shape=[3, 3],
             strides=[2, 2], pads=[1, 0, 1, 0], count_include_pad=1,
             ceil_mode=1),
        Case("gemm", gemm),
        Case("matmul", matmul),
        simple("flatten", "Flatten", [1, 3, 4, 4], axis=1),
        simple("reshape", "Reshape", [1, 4, 4, 4],
               const_inputs=[("shape", i64([1, 8, -1]))]),
        simple("squeeze", "Squeeze", [1, 4, 1, 8],
               const_inputs=[("axes", i64([2]))]),
        simple("unsqueeze", "Unsqueeze", [1, 4, 8],
               const_inputs=[("axes", i64([2]))]),
        Case("concat", concat),
        simple("transpose", "Transpose", [1, 3, 4, 8], perm=[0, 2, 3, 1]),
        simple("identity", "Identity", [1, 3, 8, 8]),
        Case("dropout", dropout),
        Case("constant_weights", constant_weights),
        Case("shape_gather_reshape", shape_gather_reshape),
        simple("softmax", "Softmax", [1, 4, 10], axis=-1),
        simple("softmax_opset11", "Softmax", [2, 3, 4], opset=11, axis=1),
        simple("log_softmax", "LogSoftmax", [1, 3, 8, 8], axis=1),
        matmul_batched("matmul_batched", [2, 4, 16], [16, 8]),
        matmul_batched("matmul_broadcast", [2, 1, 4, 8], [3, 8, 5]),
        resize("resize_linear", [1, 3, 8, 8], sizes=[1, 3, 16, 12],
               mode="linear", coordinate_transformation_mode="half_pixel"),
        resize("resize_nearest_floor", [1, 3, 8, 8], scales=[1, 1, 2, 2],
               mode="nearest", coordinate_transformation_mode="asymmetric",
               nearest_mode="floor"),
        resize("resize_align_corners", [1, 3, 8, 8], sizes=[1, 3, 5, 11],
               mode="linear", coordinate_transformation_mode="align_corners"),
        resize("resize_nearest_half_pixel", [1, 3, 8, 8],
               scales=[1, 1, 0.5, 1.5], mode="nearest",
               coordinate_transformation_mode="half_pixel"),
        Case("resize_shape_sizes", resize_shape_sizes),
        Case("conv_transpose", conv_transpose),
        conv1d_pool("conv1d_pool", 13),
        conv1d_pool("conv1d_pool_opset11", 11),
        simple("slice_steps", "Slice", [1, 3, 8, 8],
               const_inputs=[("starts", i64([0, 1])), ("ends", i64([3, 8])),
                             ("axes", i64([1, 3])), ("steps", i64([2, 3]))]),
        simple("slice_reverse", "Slice", [1, 3, 8, 8],
               const_inputs=[("starts", i64([-1, 6])),
                             ("ends", i64([-9, 1])), ("axes", i64([2, 3])),
                             ("steps", i64([-1, -2]))]),
        simple("pad_constant", "Pad", [1, 3, 8, 8],
               const_inputs=[("pads", i64([0, 0, 1, 2, 0, 1, 2, 1])),
                             ("value", f32(0.5))]),
        simple("pad_edge", "Pad", [1, 3, 8, 8], mode="edge",
               const_inputs=[("pads", i64([0, 0, 1, 2, 0, 1, 3, 1]))]),
        simple("pad_reflect", "Pad", [1, 3, 8, 8], mode="reflect",
               const_inputs=[("pads", i64([0, 0, 2, 1, 0, 0, 1, 3]))]),
        simple("gather_value", "Gather", [1, 6, 4, 5], axis=1,
               const_inputs=[("indices", i64([[5, 0], [-1, 2]]))]),
        simple("reduce_mean", "ReduceMean", [1, 3, 8, 8], axes=[2, 3],
               keepdims=0),
        simple("reduce_sum", "ReduceSum", [1, 3, 8, 8],
               const_inputs=[("axes", i64([1]))], keepdims=1),
        simple("reduce_max", "ReduceMax", [1, 3, 8, 8], axes=[-1]),
        simple("cast", "Cast", [1, 3, 8, 8], to=F32),
        simple("expand", "Expand", [1, 3, 1, 8],
               const_inputs=[("shape", i64([2, 3, 4, 8]))]),
        unary("leaky_relu", "LeakyRelu", alpha=0.1),
        unary("elu", "Elu", alpha=0.7),
        unary("tanh", "Tanh"),
        unary("erf", "Erf"),
        unary("exp", "Exp"),
        Case("abs_sqrt_log", abs_sqrt_log),
        binary("pow", "Pow", (), lo=2.0, hi=2.0),
        binary("max", "Max", (1, 3, 1, 1)),
        binary("min", "Min", (1, 1, 8, 8)),
        Case("qdq_conv", qdq_conv),
        Case("qdq_add", lambda: qdq_add_pool(pool=False)),
        Case("qdq_add_pool", qdq_add_pool),
        Case("qlinearconv", qlinearconv),
        Case("convinteger", convinteger),
        Case("qlinearmatmul", qlinearmatmul),
        Case("matmulinteger", matmulinteger),
        Case("dynamic_batch", dynamic_batch),
        Case("uint8_io", uint8_io),
        resize("resize_cubic", [1, 3, 8, 8], scales=[1, 1, 2, 2],
               mode="cubic"),
        Case("slice_dynamic_starts", slice_dynamic_starts),
        Case("conv_transpose_groups", conv_transpose_groups),
        Case("not_protobuf", not_protobuf, check=False),
        Case("truncated", None, check=False),  # built from conv_basic below
        Case("missing_initializer", missing_initializer, check=False),
        Case("unknown_ops", unknown_ops),
        Case("external_data_missing", external_data_missing, check=False),
        Case("shape_mismatch", shape_mismatch, check=False),
        Case("conv_weight_rank", conv_weight_rank, check=False),
        Case("dequantize_int32_zero_point", dequantize_int32_zero_point),
        Case("huge_input", huge_input),
        Case("batchnorm_training_mode", batchnorm_training_mode),
    ]


def shape_str(value_info):
    t = value_info.type.tensor_type
    if not t.HasField("shape"):
        return "?"
    dims = [d.dim_param if d.HasField("dim_param") else
            (str(d.dim_value) if d.HasField("dim_value") else "?")
            for d in t.shape.dim]
    return "x".join(dims) or "scalar"


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip().splitlines()[2].strip())
        return 0 if len(argv) == 2 else 2
    out = Path(argv[1]) if len(argv) == 2 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)

    written = {}
    failures = 0
    for case in cases():
        path = out / f"{case.name}.onnx"
        try:
            if case.name == "truncated":
                data = truncated(written["conv_basic"])
                desc = "first 40% of conv_basic.onnx"
            else:
                result = case.build()
                if isinstance(result, bytes):
                    data, desc = result, "not a protobuf"
                else:
                    if case.check:
                        onnx.checker.check_model(result, full_check=True)
                    data = result.SerializeToString()
                    g = result.graph
                    opset = result.opset_import[0].version
                    ins = ",".join(shape_str(v) for v in g.input)
                    outs = ",".join(shape_str(v) for v in g.output)
                    ops = "+".join(dict.fromkeys(n.op_type for n in g.node))
                    desc = (f"opset {opset}  {ins} -> {outs}  {ops}"
                            + ("" if case.check else "  (not checked)"))
            if len(data) > MAX_BYTES:
                raise AssertionError(f"{len(data)} bytes > {MAX_BYTES}")
        except Exception as e:  # report every failing case, then fail
            print(f"FAILED {case.name}: {type(e).__name__}: {e}",
                  file=sys.stderr)
            failures += 1
            continue
        path.write_bytes(data)
        written[case.name] = data
        print(f"{case.name + '.onnx':32s} {len(data):6d} B  {desc}")

    total = sum(len(d) for d in written.values())
    print(f"wrote {len(written)} models ({total} bytes) to {out}")
    if failures:
        print(f"make_test_models: {failures} case(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
