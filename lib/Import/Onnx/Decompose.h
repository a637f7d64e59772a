//===- Decompose.h - ONNX operators rewritten as simpler ONNX ---*- C++ -*-===//
//
// Some operators are compositions of others the importer already knows:
// QLinearConv is DequantizeLinear -> Conv -> QuantizeLinear, QLinearMatMul
// likewise around MatMul. They are rewritten in the ModelProto before shape
// inference, so the import proper sees the QDQ form every other quantized
// model has, and the quantizer has one form to consume.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_LIB_IMPORT_ONNX_DECOMPOSE_H
#define PROM_LIB_IMPORT_ONNX_DECOMPOSE_H

#include <optional>
#include <string>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir {
namespace prom {
namespace onnx_import {

/// Whether `opType` is rewritten by decomposeModel.
bool isDecomposed(const std::string &opType);

/// Rewrites every decomposable node; returns a problem (e.g. a scale that
/// is not a constant) or nullopt.
std::optional<std::string> decomposeModel(onnx::ModelProto &model);

} // namespace onnx_import
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_IMPORT_ONNX_DECOMPOSE_H
