//===- Epilogue.h - ops a float kernel computes before its stores -*- C++
//-*-===//
//
// prom-select-kernels marks the elementwise ops that follow a float kernel
// (a residual tosa.add, a tosa.clamp) as that kernel's `epilogue`; the
// kernel applies them to its vectors before storing them, and replaces
// them.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_EPILOGUE_H
#define PROM_CODEGEN_CPU_COMMON_EPILOGUE_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace prom {

/// The operand of the elementwise op `op` that an epilogue chain would run
/// through: a clamp's input; of an add's two, the one defined later in the
/// block (its producer runs last; a block argument counts as earliest).
Value epilogueInput(Operation *op);

/// The op whose kernel is `epilogue` and that `op`'s kernel computes: the
/// only user of op's only result, when that result is its epilogueInput;
/// else null.
Operation *getEpilogue(Operation *op);

/// The kernel of the op whose epilogue chain `op` is in (op's own, if it
/// is not an epilogue), or null.
KernelAttr chainKernel(Operation *op);

/// Whether `op` can be the epilogue of `producer`, whose kernel (or
/// epilogue chain) has `kernel` and whose output has `lanes`-wide vectors:
/// a NaN-propagating f32 clamp, or an f32 add of a tensor of the same
/// shape (output channels a multiple of `lanes`, so its reads are whole
/// vectors), with `producer`'s result its only use of it.
bool canBeEpilogue(Operation *op, Operation *producer, int64_t lanes);

/// The epilogue chain of a float kernel's op.
class FloatEpilogue {
public:
  /// The chain after `producer` (getEpilogue), whose kernel has `lanes`, or
  /// failure if it holds an op the kernel cannot compute (canBeEpilogue: a
  /// `prom.kernel` may also be written by hand).
  static FailureOr<FloatEpilogue> get(Operation *producer, int64_t lanes);

  /// The tensors the chain adds (each of the output's shape).
  ArrayRef<Value> addends() const { return addendTensors; }

  /// `v`, a vector of f32 outputs, after the chain: each add as the
  /// reference computes it (its operands in the op's order), with `read`
  /// giving an addend's vector at v's position; each clamp as
  /// maximumf(minimumf(v, max), min).
  Value apply(ImplicitLocOpBuilder &b, Value v,
              function_ref<Value(Value addend)> read) const;

  /// Replaces the chain's last op (else `producer`) by `result`, and
  /// erases the rest of the chain and `producer`.
  void replace(PatternRewriter &rewriter, Operation *producer,
               Value result) const;

private:
  struct Step {
    Operation *op;
    Value addend;      // an add's other operand
    bool chainIsFirst; // an add's first operand is the chain's value
  };
  SmallVector<Step> steps;
  SmallVector<Value> addendTensors;
};

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_EPILOGUE_H
