//===- Decompose.cpp - ONNX operators rewritten as simpler ONNX -----------===//

#include "Decompose.h"

#include "llvm/ADT/STLExtras.h"

#include "onnx/onnx_pb.h"

#include <cstring>
#include <vector>

using namespace mlir::prom::onnx_import;

bool mlir::prom::onnx_import::isDecomposed(const std::string &opType) {
  return opType == "QLinearConv" || opType == "QLinearMatMul";
}

/// The float values of initializer `name`, if it is one.
static std::optional<std::vector<float>>
floatInitializer(const onnx::GraphProto &graph, const std::string &name) {
  for (const auto &init : graph.initializer()) {
    if (init.name() != name)
      continue;
    if (init.data_type() != onnx::TensorProto_DataType_FLOAT)
      return std::nullopt;
    if (init.has_raw_data()) {
      std::vector<float> v(init.raw_data().size() / sizeof(float));
      std::memcpy(v.data(), init.raw_data().data(), v.size() * sizeof(float));
      return v;
    }
    return std::vector<float>(init.float_data().begin(),
                              init.float_data().end());
  }
  return std::nullopt;
}

namespace {
/// Appends nodes named after the node they replace.
struct NodeWriter {
  std::vector<onnx::NodeProto> &out;
  const onnx::NodeProto &original;

  onnx::NodeProto &add(const std::string &opType, const std::string &suffix,
                       std::vector<std::string> inputs, std::string output) {
    onnx::NodeProto &n = out.emplace_back();
    n.set_op_type(opType);
    n.set_name(original.name() + suffix);
    for (std::string &i : inputs)
      n.add_input(i);
    n.add_output(output);
    return n;
  }
};
} // namespace

static void setAxis(onnx::NodeProto &node, int64_t axis) {
  onnx::AttributeProto *a = node.add_attribute();
  a->set_name("axis");
  a->set_type(onnx::AttributeProto_AttributeType_INT);
  a->set_i(axis);
}

/// x_q, x_scale, x_zp, w_q, w_scale, w_zp, y_scale, y_zp [, B (int32)]
static std::optional<std::string>
decomposeQLinearConv(onnx::GraphProto &graph, const onnx::NodeProto &node,
                     std::vector<onnx::NodeProto> &out) {
  const std::string base = node.output(0) + "__qlinear";
  NodeWriter w{out, node};
  w.add("DequantizeLinear", ".dequantize_input",
        {node.input(0), node.input(1), node.input(2)}, base + "_x");
  setAxis(w.add("DequantizeLinear", ".dequantize_weights",
                {node.input(3), node.input(4), node.input(5)}, base + "_w"),
          0);
  std::vector<std::string> convInputs = {base + "_x", base + "_w"};
  if (node.input_size() > 8 && !node.input(8).empty()) {
    // The int32 bias is in units of x_scale * w_scale[c].
    std::optional<std::vector<float>> xs =
        floatInitializer(graph, node.input(1));
    std::optional<std::vector<float>> ws =
        floatInitializer(graph, node.input(4));
    if (!xs || !ws || xs->size() != 1)
      return "QLinearConv node '" + node.name() +
             "': x_scale and w_scale must be float initializers";
    onnx::TensorProto *scale = graph.add_initializer();
    scale->set_name(base + "_bias_scale");
    scale->set_data_type(onnx::TensorProto_DataType_FLOAT);
    if (ws->size() > 1)
      scale->add_dims(ws->size());
    for (float s : *ws)
      scale->add_float_data((*xs)[0] * s);
    setAxis(w.add("DequantizeLinear", ".dequantize_bias",
                  {node.input(8), base + "_bias_scale"}, base + "_b"),
            0);
    convInputs.push_back(base + "_b");
  }
  onnx::NodeProto &conv = w.add("Conv", "", convInputs, base + "_y");
  for (const auto &attr : node.attribute())
    *conv.add_attribute() = attr;
  w.add("QuantizeLinear", ".quantize_output",
        {base + "_y", node.input(6), node.input(7)}, node.output(0));
  return std::nullopt;
}

/// a_q, a_scale, a_zp, b_q, b_scale, b_zp, y_scale, y_zp
static void decomposeQLinearMatMul(const onnx::NodeProto &node,
                                   std::vector<onnx::NodeProto> &out) {
  const std::string base = node.output(0) + "__qlinear";
  NodeWriter w{out, node};
  w.add("DequantizeLinear", ".dequantize_a",
        {node.input(0), node.input(1), node.input(2)}, base + "_a");
  // A per-column scale of b ([K, N]) is along axis 1.
  setAxis(w.add("DequantizeLinear", ".dequantize_b",
                {node.input(3), node.input(4), node.input(5)}, base + "_b"),
          1);
  w.add("MatMul", "", {base + "_a", base + "_b"}, base + "_y");
  w.add("QuantizeLinear", ".quantize_output",
        {base + "_y", node.input(6), node.input(7)}, node.output(0));
}

static const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node,
                                                 const std::string &name) {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

/// Whether `node` is a convolution or pooling over one spatial dimension:
/// its kernel_shape, or else its weights' rank (an initializer or a graph
/// input), say so.
static bool isOneDimensional(const onnx::GraphProto &graph,
                             const onnx::NodeProto &node) {
  static const char *const kWindowOps[] = {"Conv", "ConvTranspose", "MaxPool",
                                           "AveragePool"};
  if (llvm::none_of(kWindowOps,
                    [&](const char *op) { return node.op_type() == op; }))
    return false;
  if (const onnx::AttributeProto *k = findAttribute(node, "kernel_shape"))
    return k->ints_size() == 1;
  if (node.input_size() < 2)
    return false;
  for (const auto &init : graph.initializer())
    if (init.name() == node.input(1))
      return init.dims_size() == 3;
  for (const auto &input : graph.input())
    if (input.name() == node.input(1))
      return input.type().tensor_type().shape().dim_size() == 3;
  return false;
}

/// Squeeze or Unsqueeze of axis 2: the axes are an input from opset 13.
static void addAxis2(onnx::GraphProto &graph, NodeWriter &w, int64_t opset,
                     const std::string &opType, const std::string &suffix,
                     const std::string &input, const std::string &output) {
  if (opset < 13) {
    onnx::AttributeProto *a =
        w.add(opType, suffix, {input}, output).add_attribute();
    a->set_name("axes");
    a->set_type(onnx::AttributeProto_AttributeType_INTS);
    a->add_ints(2);
    return;
  }
  std::string axes = w.original.output(0) + "__axis2";
  bool defined = false;
  for (const auto &init : graph.initializer())
    defined |= init.name() == axes;
  if (!defined) {
    onnx::TensorProto *t = graph.add_initializer();
    t->set_name(axes);
    t->set_data_type(onnx::TensorProto_DataType_INT64);
    t->add_dims(1);
    t->add_int64_data(2);
  }
  w.add(opType, suffix, {input, axes}, output);
}

/// A 1-D convolution or pooling as the 2-D one of height 1: the input (and
/// weights) unsqueezed at axis 2, every window attribute given a leading
/// unit (pads a zero at each end), the result squeezed.
static void decomposeOneDimensional(onnx::GraphProto &graph,
                                    const onnx::NodeProto &node, int64_t opset,
                                    std::vector<onnx::NodeProto> &out) {
  const std::string base = node.output(0) + "__2d";
  NodeWriter w{out, node};
  addAxis2(graph, w, opset, "Unsqueeze", ".unsqueeze_input", node.input(0),
           base + "_x");
  std::vector<std::string> inputs = {base + "_x"};
  for (int i = 1; i < node.input_size(); ++i) {
    if (i == 1 && !node.input(1).empty()) {
      addAxis2(graph, w, opset, "Unsqueeze", ".unsqueeze_weights",
               node.input(1), base + "_w");
      inputs.push_back(base + "_w");
    } else {
      inputs.push_back(node.input(i));
    }
  }
  onnx::NodeProto &op = w.add(node.op_type(), "", inputs, base + "_y");
  for (const auto &attr : node.attribute()) {
    onnx::AttributeProto *a = op.add_attribute();
    *a = attr;
    if (attr.type() != onnx::AttributeProto_AttributeType_INTS)
      continue;
    const std::string &name = attr.name();
    if (name == "pads" && attr.ints_size() == 2) {
      a->clear_ints();
      for (int64_t v : {int64_t(0), attr.ints(0), int64_t(0), attr.ints(1)})
        a->add_ints(v);
    } else if (name == "kernel_shape" || name == "strides" ||
               name == "dilations" || name == "output_padding" ||
               name == "output_shape") {
      a->clear_ints();
      a->add_ints(name == "output_padding" ? 0 : 1);
      a->add_ints(attr.ints(0));
    }
  }
  addAxis2(graph, w, opset, "Squeeze", ".squeeze_output", base + "_y",
           node.output(0));
}

std::optional<std::string>
mlir::prom::onnx_import::decomposeModel(onnx::ModelProto &model,
                                        int64_t opset) {
  onnx::GraphProto &graph = *model.mutable_graph();
  std::vector<onnx::NodeProto> rewritten;
  bool changed = false;
  for (const auto &node : graph.node()) {
    if (isOneDimensional(graph, node) && node.input_size() >= 1 &&
        node.output_size() == 1) {
      decomposeOneDimensional(graph, node, opset, rewritten);
      changed = true;
    } else if (node.op_type() == "QLinearConv") {
      if (node.input_size() < 8)
        return "QLinearConv node '" + node.name() + "' has too few inputs";
      if (std::optional<std::string> problem =
              decomposeQLinearConv(graph, node, rewritten))
        return problem;
      changed = true;
    } else if (node.op_type() == "QLinearMatMul") {
      if (node.input_size() < 8)
        return "QLinearMatMul node '" + node.name() + "' has too few inputs";
      decomposeQLinearMatMul(node, rewritten);
      changed = true;
    } else {
      rewritten.push_back(node);
    }
  }
  if (changed) {
    graph.clear_node();
    for (onnx::NodeProto &node : rewritten)
      *graph.add_node() = std::move(node);
  }
  return std::nullopt;
}
