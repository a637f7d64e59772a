//===- Pipelines.cpp - prom's named pass pipelines ------------------------===//

#include "Prom/Pipelines/Pipelines.h"

#include "Prom/Conversion/Passes.h"
#include "Prom/Transforms/Passes.h"

#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::prom;

/// Tensors to the LLVM dialect, as upstream passes; the order matters
/// (expand-strided-metadata before lower-affine, func last but one).
static constexpr const char kLinalgToLLVM[] =
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-deallocation-pipeline,"
    "convert-bufferization-to-memref,"
    "convert-linalg-to-loops,"
    "convert-vector-to-scf,"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-scf-to-cf,"
    "convert-cf-to-llvm,"
    "convert-vector-to-llvm,"
    "convert-math-to-llvm,"
    "convert-ub-to-llvm,"
    "convert-arith-to-llvm,"
    "convert-index-to-llvm,"
    "finalize-memref-to-llvm,"
    "convert-func-to-llvm,"
    "reconcile-unrealized-casts";

void mlir::prom::buildPromToLLVMPipeline(
    OpPassManager &pm, const PromToLLVMPipelineOptions &options) {
  if (options.emitCInterface)
    pm.addPass(createPromEmitCInterface());
  pm.addPass(createConvertPromToLinalg());
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions());
  std::string error;
  llvm::raw_string_ostream errorStream(error);
  if (failed(parsePassPipeline(kLinalgToLLVM, pm, errorStream)))
    llvm::report_fatal_error(llvm::Twine("prom-to-llvm: ") + error);
}

void mlir::prom::registerPromPipelines() {
  PassPipelineRegistration<PromToLLVMPipelineOptions>(
      "prom-to-llvm",
      "Lower prom, TOSA and linalg on tensors to the LLVM dialect through "
      "prom's reference lowering",
      buildPromToLLVMPipeline);
}
