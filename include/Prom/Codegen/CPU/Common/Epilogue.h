//===- Epilogue.h - ops a float kernel computes before its stores -*- C++
//-*-===//
//
// prom-select-kernels marks a tosa.clamp whose input is a float kernel's
// only use as that kernel's `epilogue`; the kernel applies it to its
// vectors before storing them, and replaces the clamp.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_EPILOGUE_H
#define PROM_CODEGEN_CPU_COMMON_EPILOGUE_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace prom {

/// The epilogue chain of a float kernel's op.
class FloatEpilogue {
public:
  /// The chain after `producer` (getEpilogue), or failure if it holds an op
  /// the float kernels do not compute.
  static FailureOr<FloatEpilogue> get(Operation *producer);

  /// `v`, a vector of f32 outputs, after the chain: for each clamp the
  /// reference lowering's maximumf(minimumf(v, max), min).
  Value apply(ImplicitLocOpBuilder &b, Value v) const;

  /// Replaces the chain's last op (else `producer`) by `result`, and
  /// erases the rest of the chain and `producer`.
  void replace(PatternRewriter &rewriter, Operation *producer,
               Value result) const;

private:
  SmallVector<tosa::ClampOp> clamps;
};

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_EPILOGUE_H
