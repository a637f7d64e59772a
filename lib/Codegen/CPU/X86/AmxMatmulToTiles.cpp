//===- AmxMatmulToTiles.cpp - prom_x86.amx_matmul to the amx dialect ------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/X86/X86KernelSelection.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMLOWERAMXMATMUL
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

/// Straight-line tile code: the M x N result in tiles of `rows` x `cols`,
/// taken in groups of at most 2 x 2 (3 x 1 or 1 x 3 where the other side
/// has one tile) whose accumulators stay in registers over all the
/// reduction steps. Every tile of one op has the same shapes.
struct AmxMatmulToTiles : OpRewritePattern<x86::AmxMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(x86::AmxMatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto lhs = dyn_cast<MemRefType>(op.getLhs().getType());
    if (!lhs)
      return rewriter.notifyMatchFailure(op, "not bufferized");
    auto init = cast<MemRefType>(op.getInit().getType());
    int64_t m = lhs.getDimSize(0), k = lhs.getDimSize(1);
    int64_t n = init.getDimSize(1);
    int64_t rows = std::min<int64_t>(m, 16), cols = std::min<int64_t>(n, 16);
    if (m % rows != 0 || n % cols != 0)
      return op.emitOpError() << "needs M (" << m << ") and N (" << n
                              << ") to be multiples of 16, or at most 16";
    int64_t step = amxStepBytes(k);
    int64_t rowTiles = m / rows, colTiles = n / cols;
    int64_t groupRows = colTiles == 1 ? 3 : 2,
            groupCols = rowTiles == 1 ? 3 : 2;

    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    b.setInsertionPoint(op);
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    auto aType = amx::TileType::get({rows, step}, i8);
    auto bType = amx::TileType::get({step / 4, cols * 4}, i8);
    auto cType = amx::TileType::get({rows, cols}, i32);
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    for (int64_t r0 = 0; r0 < rowTiles; r0 += groupRows)
      for (int64_t c0 = 0; c0 < colTiles; c0 += groupCols) {
        int64_t gr = std::min(groupRows, rowTiles - r0);
        int64_t gc = std::min(groupCols, colTiles - c0);
        SmallVector<Value> acc;
        for (int64_t t = 0; t < gr * gc; ++t)
          acc.push_back(amx::TileZeroOp::create(b, cType));
        for (int64_t s = 0; s < k / step; ++s) {
          SmallVector<Value> as, bs;
          for (int64_t i = 0; i < gr; ++i)
            as.push_back(amx::TileLoadOp::create(
                b, aType, op.getLhs(),
                ValueRange{index((r0 + i) * rows), index(s * step)}));
          for (int64_t j = 0; j < gc; ++j)
            bs.push_back(amx::TileLoadOp::create(
                b, bType, op.getRhs(),
                ValueRange{index(s * step / 4), index((c0 + j) * cols * 4)}));
          for (int64_t i = 0; i < gr; ++i)
            for (int64_t j = 0; j < gc; ++j)
              acc[i * gc + j] = amx::TileMulIOp::create(b, cType, as[i], bs[j],
                                                        acc[i * gc + j]);
        }
        for (int64_t i = 0; i < gr; ++i)
          for (int64_t j = 0; j < gc; ++j)
            amx::TileStoreOp::create(
                b, op.getInit(),
                ValueRange{index((r0 + i) * rows), index((c0 + j) * cols)},
                acc[i * gc + j]);
      }
    rewriter.eraseOp(op);
    return success();
  }
};

struct LowerAmxMatmulPass
    : prom::impl::PromLowerAmxMatmulBase<LowerAmxMatmulPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AmxMatmulToTiles>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Memref ops left were reported by the pattern.
    bool left = false;
    getOperation()->walk([&](x86::AmxMatmulOp op) {
      left = true;
      if (!isa<MemRefType>(op.getInit().getType()))
        op.emitOpError("is not bufferized: lower it after bufferization");
    });
    if (left)
      signalPassFailure();
  }
};

} // namespace
