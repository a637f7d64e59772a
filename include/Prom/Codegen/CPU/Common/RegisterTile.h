//===- RegisterTile.h - the reduction of a register tile -------*- C++ -*-===//
//
// The loop every register-tiled kernel runs (1x1 int8/ternary dot, f32,
// HASTE's merged convolutions): np x nb accumulator vectors ([pixel]
// [block]) kept in registers across a reduction, each step loading a
// weight vector per block and an input vector per pixel and accumulating
// their product. A kernel supplies the operands and the multiply-
// accumulate of its instruction form (an x86 dot product, a multiply and
// an add); its epilogue then stores the accumulators.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_REGISTERTILE_H
#define PROM_CODEGEN_CPU_COMMON_REGISTERTILE_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>

namespace mlir {
namespace prom {

/// A register tile's reduction: its size and, per step, its operands and
/// multiply-accumulate (owned: a tile outlives the statement that makes it).
struct RegisterTile {
  int64_t pixels, blocks;
  /// Block `block`'s weight vector at reduction step `step`.
  std::function<Value(ImplicitLocOpBuilder &, Value step, int64_t block)>
      weights;
  /// Pixel `pixel`'s input at `step`, in the layout `accumulate` takes
  /// (e.g. broadcast to every lane).
  std::function<Value(ImplicitLocOpBuilder &, Value step, int64_t pixel)> input;
  /// acc + input * weights in the kernel's instruction form.
  std::function<Value(ImplicitLocOpBuilder &, Value acc, Value input,
                      Value weights)>
      accumulate;
};

/// One reduction step at `step` of `tile` from `accs` ([pixel][block]): the
/// blocks' weights, then per pixel its input and a multiply-accumulate per
/// block. Returns the new accumulators in the same order.
SmallVector<Value> emitTileStep(ImplicitLocOpBuilder &b,
                                const RegisterTile &tile, Value step,
                                ValueRange accs);

/// Steps [begin, end) of `tile` from `accs`, as one scf.for whose iteration
/// arguments are the accumulators.
SmallVector<Value> emitTileReduction(ImplicitLocOpBuilder &b,
                                     const RegisterTile &tile, Value begin,
                                     Value end, ValueRange accs);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_REGISTERTILE_H
