//===- Decompose.cpp - ONNX operators rewritten as simpler ONNX -----------===//

#include "Decompose.h"

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

std::optional<std::string>
mlir::prom::onnx_import::decomposeModel(onnx::ModelProto &model) {
  onnx::GraphProto &graph = *model.mutable_graph();
  std::vector<onnx::NodeProto> rewritten;
  bool changed = false;
  for (const auto &node : graph.node()) {
    if (node.op_type() == "QLinearConv") {
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
