//===- OnnxImporter.h - ONNX models into MLIR -------------------*- C++ -*-===//
//
// Reads an ONNX model (float or QDQ-quantized) and builds a `func.func` over
// TOSA ops in NHWC, with transposes only at the function boundary, weights
// as dense_resource blobs, QuantizeLinear/DequantizeLinear as
// prom.quantize/prom.dequantize, and every op located at its node's name.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_IMPORT_ONNX_ONNXIMPORTER_H
#define PROM_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

#include <vector>

namespace mlir {
namespace prom {

struct OnnxImportOptions {
  /// Static shapes for graph inputs, overriding the model's (e.g. a symbolic
  /// batch): input name -> shape in the model's (NCHW) order.
  llvm::StringMap<std::vector<int64_t>> inputShapes;
  /// Name of the generated function.
  std::string functionName = "main";
};

/// Imports the serialized model in `bytes`; `filename` names it in
/// diagnostics. Every problem is reported through `context`'s diagnostics
/// (all unsupported ops at once); returns null on failure.
OwningOpRef<ModuleOp> importOnnxModel(llvm::StringRef bytes,
                                      llvm::StringRef filename,
                                      MLIRContext *context,
                                      const OnnxImportOptions &options = {});

/// Parses "name=1x3x224x224" into `options`; false on malformed text.
bool parseInputShapeOption(llvm::StringRef text, OnnxImportOptions &options);

/// Registers the ONNX importer as the `import-onnx` translation (with its
/// `--input-shape` option) for mlir-translate style tools.
void registerOnnxImportTranslation();

} // namespace prom
} // namespace mlir

#endif // PROM_IMPORT_ONNX_ONNXIMPORTER_H
