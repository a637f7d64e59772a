//===- Decompose.h - ONNX operators rewritten as simpler ONNX ---*- C++ -*-===//
//
// Some operators are compositions of others the importer already knows:
// QLinearConv is DequantizeLinear -> Conv -> QuantizeLinear, QLinearMatMul
// likewise around MatMul, and a 1-D convolution or pooling is the 2-D one
// between an Unsqueeze and a Squeeze. They are rewritten in the ModelProto
// before shape inference, so the import proper sees the QDQ form every
// other quantized model has, and the quantizer has one form to consume.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_LIB_IMPORT_ONNX_DECOMPOSE_H
#define PROM_LIB_IMPORT_ONNX_DECOMPOSE_H

#include <cstdint>
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

/// Rewrites every decomposable node of a model of `opset`; returns a
/// problem (e.g. a scale that is not a constant) or nullopt.
std::optional<std::string> decomposeModel(onnx::ModelProto &model,
                                          int64_t opset);

} // namespace onnx_import
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_IMPORT_ONNX_DECOMPOSE_H
