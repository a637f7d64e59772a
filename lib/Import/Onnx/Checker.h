//===- Checker.h - ONNX's checker and shape inference -----------*- C++ -*-===//
//
// The ONNX library reports problems by throwing; prom is built without
// exceptions, so these calls live in Checker.cpp, the one file compiled with
// them, and come back as messages.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_LIB_IMPORT_ONNX_CHECKER_H
#define PROM_LIB_IMPORT_ONNX_CHECKER_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir {
namespace prom {
namespace onnx_import {

/// Runs the ONNX checker (on `path` when it names a file, so external data
/// is found) and then shape inference, filling the graph's value_info from
/// the float values of static shape `known` and what inference finds;
/// returns the first problem found.
std::optional<std::string> checkAndInferShapes(
    onnx::ModelProto &model, const std::string &path,
    const std::map<std::string, std::vector<int64_t>> &known = {});

} // namespace onnx_import
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_IMPORT_ONNX_CHECKER_H
