//===- PromToLinalg.cpp - the convert-prom-to-linalg pass -----------------===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "Prom/Conversion/Passes.h"

#include "Prom/Dialect/Prom/IR/PromDialect.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_CONVERTPROMTOLINALG
#include "Prom/Conversion/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

void mlir::prom::populatePromToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  populateLowerPromConvolutionPatterns(patterns);
  populateLowerPromPoolingPatterns(patterns);
  populateLowerPromElementwisePatterns(patterns);
  populateLowerPromHastePatterns(patterns);
}

namespace {
struct ConvertPromToLinalgPass
    : prom::impl::ConvertPromToLinalgBase<ConvertPromToLinalgPass> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    // prom_x86 ops of the optimized kernels stay until after bufferization
    // (convert-prom-x86-to-llvm).
    target.addIllegalDialect<PromDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populatePromToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
