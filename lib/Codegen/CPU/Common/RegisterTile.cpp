//===- RegisterTile.cpp - the reduction of a register tile ----------------===//

#include "Prom/Codegen/CPU/Common/RegisterTile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::prom;

SmallVector<Value> mlir::prom::emitTileStep(ImplicitLocOpBuilder &b,
                                            const RegisterTile &tile,
                                            Value step, ValueRange accs) {
  SmallVector<Value> weights;
  for (int64_t j = 0; j < tile.blocks; ++j)
    weights.push_back(tile.weights(b, step, j));
  SmallVector<Value> next;
  for (int64_t i = 0; i < tile.pixels; ++i) {
    Value input = tile.input(b, step, i);
    for (int64_t j = 0; j < tile.blocks; ++j)
      next.push_back(
          tile.accumulate(b, accs[i * tile.blocks + j], input, weights[j]));
  }
  return next;
}

SmallVector<Value> mlir::prom::emitTileReduction(ImplicitLocOpBuilder &b,
                                                 const RegisterTile &tile,
                                                 Value begin, Value end,
                                                 ValueRange accs) {
  Value one = arith::ConstantIndexOp::create(b, 1);
  auto loop = scf::ForOp::create(
      b, begin, end, one, accs,
      [&](OpBuilder &nested, Location loc, Value step, ValueRange it) {
        ImplicitLocOpBuilder lb(loc, nested);
        scf::YieldOp::create(lb, emitTileStep(lb, tile, step, it));
      });
  return SmallVector<Value>(loop.getResults());
}
