//===- Checker.cpp - ONNX's checker and shape inference -------------------===//

#include "Checker.h"

#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"

#include <fstream>

using namespace mlir::prom::onnx_import;

std::optional<std::string>
mlir::prom::onnx_import::checkAndInferShapes(onnx::ModelProto &model,
                                             const std::string &path) {
  try {
    if (!path.empty() && std::ifstream(path).good())
      onnx::checker::check_model(path);
    else
      onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    return std::string("the ONNX checker rejects the model: ") + e.what();
  }
  try {
    model.mutable_graph()->clear_value_info();
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(),
        onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict=*/1,
                                    /*data_prop=*/true));
  } catch (const std::exception &e) {
    return std::string("ONNX shape inference fails: ") + e.what();
  }
  return std::nullopt;
}
