//===- prom-opt.cpp - mlir-opt with the prom dialect and passes -----------===//
//
// Every upstream dialect, extension and pass, plus prom's. Diagnostics carry
// source locations; invalid input exits non-zero.
//
//===----------------------------------------------------------------------===//

#include "Prom/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::prom::registerPromPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::prom::registerPromDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "prom optimizer driver: upstream MLIR plus prom\n",
      registry));
}
