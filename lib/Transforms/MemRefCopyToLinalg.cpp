//===- MemRefCopyToLinalg.cpp - memref.copy as linalg.copy ----------------===//

#include "Prom/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMMEMREFCOPYTOLINALG
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;

namespace {

/// Whether `a` and `b` are the same view: one value, or two subviews of one
/// buffer with the same offsets, sizes and strides. (Bufferization leaves
/// such copies behind when a slice is updated in place and inserted back.)
bool isSameView(Value a, Value b) {
  if (a == b)
    return true;
  auto x = a.getDefiningOp<memref::SubViewOp>();
  auto y = b.getDefiningOp<memref::SubViewOp>();
  return x && y && x.getSource() == y.getSource() &&
         x.getType() == y.getType() &&
         x.getMixedOffsets() == y.getMixedOffsets() &&
         x.getMixedSizes() == y.getMixedSizes() &&
         x.getMixedStrides() == y.getMixedStrides();
}
struct MemRefCopyToLinalgPass
    : prom::impl::PromMemRefCopyToLinalgBase<MemRefCopyToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      if (isSameView(copy.getSource(), copy.getTarget())) {
        rewriter.eraseOp(copy);
        continue;
      }
      rewriter.setInsertionPoint(copy);
      linalg::CopyOp::create(rewriter, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      rewriter.eraseOp(copy);
    }
  }
};
} // namespace
