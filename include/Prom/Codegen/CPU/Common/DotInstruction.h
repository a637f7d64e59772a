//===- DotInstruction.h - a kernel form's multiply-accumulate --*- C++ -*-===//
//
// The integer kernels (the 1x1 dot kernel's register tiles, the depthwise
// kernel's tap pairs) are written against this description of the
// instruction a KernelForm names: the operands it takes and the op it
// emits. Each target family describes its own forms (X86DotInstructions.cpp);
// a new form there is all a kernel needs to run on it.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_DOTINSTRUCTION_H
#define PROM_CODEGEN_CPU_COMMON_DOTINSTRUCTION_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>

namespace mlir {
namespace prom {

/// acc + the products of `input` and `weights`, each accumulator lane
/// summing the adjacent products that fall in it.
using AccumulateFn = std::function<Value(ImplicitLocOpBuilder &, Value acc,
                                         Value input, Value weights)>;

/// The multiply-accumulate of a kernel form, for vectors of any width the
/// target has (the lanes are the kernel's parameter).
struct DotInstruction {
  /// Input channels per 32-bit lane of the operands (a pixel's are
  /// broadcast as one i32 to every lane).
  int64_t group;
  /// Bits of an input and of a weight element (8 or 16).
  unsigned elementBits;
  /// The inputs are unsigned: a kernel hands it the activations flipped to
  /// x + 128 (and starts its accumulators from the matching zero-point
  /// term); else signed, as they are (sign-extended to elementBits).
  bool unsignedInput;
  /// Bits of the accumulator lanes `accumulate` adds into: 32, or 16 where
  /// the kernel sums a bounded number of steps and then widens them.
  unsigned accumulatorBits;
  AccumulateFn accumulate;
  /// For 16-bit accumulators: i32 acc + the sums of adjacent pairs of s16
  /// lanes times (16-bit) multipliers, which widens them.
  AccumulateFn widen;
};

/// The instruction of `form` on the target family that defines it.
const DotInstruction &getDotInstruction(KernelForm form);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_DOTINSTRUCTION_H
