//===- prom-translate.cpp - mlir-translate with prom's importers ----------===//
//
// Every upstream translation (e.g. --mlir-to-llvmir) plus --import-onnx.
//
//===----------------------------------------------------------------------===//

#include "Prom/Import/Onnx/OnnxImporter.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  mlir::prom::registerOnnxImportTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv,
      "prom translation driver: ONNX import and MLIR <-> LLVM IR\n"));
}
