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
    static shapes; elementwise ops also lower with dynamic shapes. The HASTE
    ops (`haste_buckets`, `merge_channels`), whose structure depends on data,
    become scf loops that keep the summation order they define. An op that
    cannot be lowered is reported with its name and location, and the pass
    fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PromTernaryToAdd : Pass<"prom-ternary-to-add"> {
  let summary = "Lower ternary 1x1 convolutions to additions and subtractions";
  let description = [{
    The PROM paper's meaning of a ternary convolution. For each
    `prom.ternary_conv2d` with constant weights, the input channels whose
    weight is +1 and those whose weight is -1 are listed per output channel
    at compile time (two index lists with offsets, as i32 constants; zero
    weights are not listed and cost nothing). Each output is then

      acc[p, o] = bias[o] - zp * (|plus(o)| - |minus(o)|)
                  + sum_{i in plus(o)} x[p, i] - sum_{i in minus(o)} x[p, i]

    where the first line is a per-channel constant folded at compile time,
    and the loops over the lists only widen int8 inputs and add or subtract
    them into an i32 accumulator: no multiply. The i32 accumulator cannot
    overflow for fewer than 2^23 input channels (each term is at most 255
    in magnitude after the zero point); the result wraps exactly like the
    reference lowering anyway. Requantization, the only multiply, follows
    as in `convert-prom-to-linalg`, so the output bytes are the reference's
    (checked by the differential tests).

    Why index lists: the weights are compile-time constants, so the code is
    specialized to them; lists skip zeros, which TWN makes common (about
    40% of MobileNetV2's ternary weights), and keep the inner loop free of
    any select or multiply by +-1. Ternary convs with non-constant weights
    are left to the reference lowering.

    With `vector-width=V` > 1 (the default, 16) the sums run over V pixels
    at once: the input is transposed once to channel-major [C, pixels], so
    that one input channel of V consecutive pixels is one vector load, and
    each list entry costs a vector load, a widening and a vector add into
    an i32 accumulator vector (masked at the last, partial tile).
    `vector-width=1` gives the scalar form.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "unsigned", /*default=*/"16",
           "Pixels summed at once (1: scalar loops)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // PROM_CONVERSION_PASSES_TD
