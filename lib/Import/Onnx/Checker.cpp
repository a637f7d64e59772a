//===- Checker.cpp - ONNX's checker and shape inference -------------------===//

#include "Checker.h"

#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <unordered_map>

using namespace mlir::prom::onnx_import;

/// ONNX's convolution shape inference takes the kernel's spatial sizes from
/// the weights' shape and indexes the input's with them, so weights of a
/// higher rank than the input read past its end (a crash, not an error).
/// Checks those ranks wherever they are known: graph inputs, initializers,
/// constants, and through the ops that keep or broadcast ranks.
static std::optional<std::string>
checkConvolutionRanks(const onnx::GraphProto &graph) {
  static const std::set<std::string> kSameRank = {"Abs",
                                                  "AveragePool",
                                                  "BatchNormalization",
                                                  "Cast",
                                                  "Clip",
                                                  "Conv",
                                                  "ConvInteger",
                                                  "ConvTranspose",
                                                  "DequantizeLinear",
                                                  "Dropout",
                                                  "Elu",
                                                  "Exp",
                                                  "GlobalAveragePool",
                                                  "GlobalMaxPool",
                                                  "HardSigmoid",
                                                  "HardSwish",
                                                  "Identity",
                                                  "LeakyRelu",
                                                  "Log",
                                                  "MaxPool",
                                                  "Neg",
                                                  "QLinearConv",
                                                  "QuantizeLinear",
                                                  "Relu",
                                                  "Sigmoid",
                                                  "Softmax",
                                                  "Sqrt",
                                                  "Tanh"};
  static const std::set<std::string> kBroadcast = {"Add", "Div", "Max", "Min",
                                                   "Mul", "Pow", "Sub", "Sum"};
  std::unordered_map<std::string, int> rank;
  for (const auto &input : graph.input())
    if (input.type().tensor_type().has_shape())
      rank[input.name()] = input.type().tensor_type().shape().dim_size();
  for (const auto &init : graph.initializer())
    rank[init.name()] = init.dims_size();
  for (const auto &node : graph.node()) {
    auto known = [&](int i) -> std::optional<int> {
      if (i >= node.input_size())
        return std::nullopt;
      auto it = rank.find(node.input(i));
      return it == rank.end() ? std::nullopt : std::optional<int>(it->second);
    };
    const std::string &op = node.op_type();
    int weights = op == "QLinearConv" ? 3
                  : op == "Conv" || op == "ConvInteger" || op == "ConvTranspose"
                      ? 1
                      : -1;
    if (weights > 0) {
      std::optional<int> x = known(0), w = known(weights);
      if (w && *w < 3)
        return op + " node '" + node.name() + "': the weights have rank " +
               std::to_string(*w) + "; a convolution needs 3 or more";
      if (x && w && *x != *w)
        return op + " node '" + node.name() + "': the weights have rank " +
               std::to_string(*w) + " but the input has rank " +
               std::to_string(*x) + "; they must be equal";
    }
    if (node.output_size() == 0)
      continue;
    if (op == "Constant") {
      for (const auto &attr : node.attribute())
        if (attr.name() == "value" && attr.has_t())
          rank[node.output(0)] = attr.t().dims_size();
    } else if (kSameRank.count(op)) {
      if (std::optional<int> x = known(0))
        rank[node.output(0)] = *x;
    } else if (kBroadcast.count(op)) {
      int largest = 0;
      bool all = true;
      for (int i = 0; i < node.input_size(); ++i) {
        std::optional<int> r = known(i);
        all = all && r.has_value();
        largest = std::max(largest, r.value_or(0));
      }
      if (all)
        rank[node.output(0)] = largest;
    }
  }
  return std::nullopt;
}

/// The largest tensor prom compiles, in elements: far beyond any CNN's
/// activations or weights, and small enough that every element count, byte
/// count and index fits the 64-bit (and signed 32-bit element) arithmetic
/// of the generated code. A larger shape is an error before anything is
/// allocated.
static constexpr int64_t kMaxElements = int64_t(1) << 31;

/// Every shape the model declares or ONNX inferred, against kMaxElements.
static std::optional<std::string>
checkTensorSizes(const onnx::GraphProto &graph) {
  auto check = [](const std::string &name,
                  const auto &dims) -> std::optional<std::string> {
    int64_t elements = 1;
    std::string shape;
    for (int64_t d : dims) {
      shape += (shape.empty() ? "" : "x") + std::to_string(d);
      if (d < 0)
        return "tensor '" + name + "' has the negative dimension " +
               std::to_string(d);
      elements = d == 0 || elements > kMaxElements / std::max<int64_t>(d, 1)
                     ? (d == 0 ? 0 : kMaxElements + 1)
                     : elements * d;
    }
    if (elements > kMaxElements)
      return "tensor '" + name + "' (" + shape + ") has more than 2^31 " +
             "elements, more than prom compiles";
    return std::nullopt;
  };
  auto checkValue =
      [&](const onnx::ValueInfoProto &value) -> std::optional<std::string> {
    if (!value.type().tensor_type().has_shape())
      return std::nullopt;
    std::vector<int64_t> dims;
    for (const auto &dim : value.type().tensor_type().shape().dim())
      if (dim.has_dim_value())
        dims.push_back(dim.dim_value());
    return check(value.name(), dims);
  };
  for (const auto &init : graph.initializer())
    if (std::optional<std::string> problem = check(init.name(), init.dims()))
      return problem;
  for (const auto *values :
       {&graph.input(), &graph.output(), &graph.value_info()})
    for (const auto &value : *values)
      if (std::optional<std::string> problem = checkValue(value))
        return problem;
  return std::nullopt;
}

std::optional<std::string> mlir::prom::onnx_import::checkAndInferShapes(
    onnx::ModelProto &model, const std::string &path,
    const std::map<std::string, std::vector<int64_t>> &known) {
  try {
    if (!path.empty() && std::ifstream(path).good())
      onnx::checker::check_model(path);
    else
      onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    return std::string("the ONNX checker rejects the model: ") + e.what();
  }
  if (std::optional<std::string> problem = checkConvolutionRanks(model.graph()))
    return "the model is invalid: " + *problem;
  try {
    model.mutable_graph()->clear_value_info();
    for (const auto &[name, shape] : known) {
      onnx::ValueInfoProto *info = model.mutable_graph()->add_value_info();
      info->set_name(name);
      auto *tensor = info->mutable_type()->mutable_tensor_type();
      tensor->set_elem_type(onnx::TensorProto_DataType_FLOAT);
      for (int64_t d : shape)
        tensor->mutable_shape()->add_dim()->set_dim_value(d);
    }
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(),
        onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict=*/1,
                                    /*data_prop=*/true));
  } catch (const std::exception &e) {
    return std::string("ONNX shape inference fails: ") + e.what();
  }
  return checkTensorSizes(model.graph());
}
