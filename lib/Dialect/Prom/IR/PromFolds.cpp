//===- PromFolds.cpp - folders and canonicalization patterns --------------===//

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::prom;

//===----------------------------------------------------------------------===//
// ClampOp
//===----------------------------------------------------------------------===//

// A clamp is its own clamped output: clamp(clamp) folds like any other.
std::pair<int32_t, int32_t> ClampOp::getClampBounds() {
  return {getMin(), getMax()};
}

void ClampOp::setClampBounds(int32_t lo, int32_t hi) {
  setMin(lo);
  setMax(hi);
}

OpFoldResult ClampOp::fold(FoldAdaptor) {
  // The full i8 range clamps nothing.
  if (getMin() <= -128 && getMax() >= 127)
    return getInput();
  return {};
}

namespace {
/// clamp(op) -> op with the intersected clamp, when `op` ends in a clamp of
/// its own and has no other user: the clamp then costs nothing.
struct FoldClampIntoProducer : OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ClampOp clamp,
                                PatternRewriter &rewriter) const override {
    Operation *producer = clamp.getInput().getDefiningOp();
    if (!producer || !producer->hasOneUse())
      return rewriter.notifyMatchFailure(clamp, "input has other users");

    auto clamped = dyn_cast<ClampedOutputOpInterface>(producer);
    if (!clamped)
      return rewriter.notifyMatchFailure(clamp, "producer has no clamp");
    std::pair<int32_t, int32_t> bounds = clamped.getClampBounds();

    int32_t lo = std::max(bounds.first, clamp.getMin());
    int32_t hi = std::min(bounds.second, clamp.getMax());
    // Disjoint ranges make a constant; not worth a pattern.
    if (lo > hi)
      return rewriter.notifyMatchFailure(clamp, "disjoint clamp ranges");

    rewriter.modifyOpInPlace(producer,
                             [&] { clamped.setClampBounds(lo, hi); });
    rewriter.replaceOp(clamp, producer->getResults());
    return success();
  }
};
} // namespace

void ClampOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                          MLIRContext *context) {
  results.add<FoldClampIntoProducer>(context);
}

//===----------------------------------------------------------------------===//
// RescaleOp
//===----------------------------------------------------------------------===//

OpFoldResult RescaleOp::fold(FoldAdaptor) {
  // i8 -> i8 by exactly 1 with the same zero point and no clamp: identity
  // (apply(v, 2^30, 30) == v for every v).
  if (getInput().getType() != getOutput().getType() ||
      getInputZp() != getOutputZp())
    return {};
  if (!llvm::all_of(getScales(), [](double s) { return s == 1.0; }))
    return {};
  auto [lo, hi] = getClampBounds();
  if (lo > -128 || hi < 127)
    return {};
  return getInput();
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 &&
      getInputs().front().getType() == getOutput().getType())
    return getInputs().front();
  return {};
}
