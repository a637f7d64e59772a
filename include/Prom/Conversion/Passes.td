//===- Passes.td - prom conversion passes -------------------*- tablegen -*-===//

#ifndef PROM_CONVERSION_PASSES_TD
#define PROM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPromToLinalg : Pass<"convert-prom-to-linalg"> {
  let summary = "Reference lowering of every prom op to linalg, arith and tensor";
  let description = [{
    The simple, obviously correct lowering that defines what prom ops
    compute: each op becomes one or two `linalg.generic` ops (a reduction
    into an i32 accumulator, then the fixed-point requantization) that
    follow docs/numerics.md step by step. Integer constants of the
    requantization come from `Prom/Utils/FixedPoint.h`. Every optimized
    lowering is tested against this one.

    Window ops (convolutions, pooling) and fully connected layers need
    static shapes; elementwise ops also lower with dynamic shapes. An op
    that cannot be lowered is reported with its name and location, and the
    pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // PROM_CONVERSION_PASSES_TD
