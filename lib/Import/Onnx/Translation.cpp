//===- Translation.cpp - import-onnx for mlir-translate style tools -------===//

#include "Prom/Import/Onnx/OnnxImporter.h"

#include "Prom/Dialect/Prom/IR/PromDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

void mlir::prom::registerOnnxImportTranslation() {
  static llvm::cl::list<std::string> inputShapes(
      "input-shape",
      llvm::cl::desc("Static shape of a model input, NAME=D0xD1x... (for "
                     "inputs with symbolic dimensions); may be repeated"),
      llvm::cl::ZeroOrMore);
  TranslateToMLIRRegistration registration(
      "import-onnx",
      "Import an ONNX model as MLIR: func + TOSA in NHWC, QDQ as "
      "prom.quantize/dequantize",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        Location fileLoc =
            FileLineColLoc::get(context, buffer->getBufferIdentifier(), 0, 0);
        OnnxImportOptions options;
        for (const std::string &shape : inputShapes)
          if (!parseInputShapeOption(shape, options)) {
            emitError(fileLoc) << "malformed --input-shape '" << shape
                               << "'; expected NAME=D0xD1x... with positive "
                                  "sizes";
            return nullptr;
          }
        return importOnnxModel(buffer->getBuffer(),
                               buffer->getBufferIdentifier(), context, options);
      },
      [](DialectRegistry &registry) {
        registry
            .insert<func::FuncDialect, tosa::TosaDialect, prom::PromDialect>();
      });
}
