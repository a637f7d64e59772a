//===- PoolingChannelsInnermost.cpp - NHWC pools, channels innermost ------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMPOOLINGCHANNELSINNERMOST
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;

namespace {

template <typename PoolOp> struct ChannelsInnermost : OpRewritePattern<PoolOp> {
  using OpRewritePattern<PoolOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(PoolOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<linalg::GenericOp> generic = linalg::generalizeNamedOp(
        rewriter, cast<linalg::LinalgOp>(op.getOperation()));
    if (failed(generic))
      return failure();
    // The named ops' loops are (n, oh, ow, c, kh, kw).
    return linalg::interchangeGenericOp(rewriter, *generic, {0, 1, 2, 4, 5, 3});
  }
};

struct PoolingChannelsInnermostPass
    : prom::impl::PromPoolingChannelsInnermostBase<
          PoolingChannelsInnermostPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ChannelsInnermost<linalg::PoolingNhwcSumOp>,
                 ChannelsInnermost<linalg::PoolingNhwcMaxOp>,
                 ChannelsInnermost<linalg::PoolingNhwcMinOp>,
                 ChannelsInnermost<linalg::PoolingNhwcMaxUnsignedOp>,
                 ChannelsInnermost<linalg::PoolingNhwcMinUnsignedOp>>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
