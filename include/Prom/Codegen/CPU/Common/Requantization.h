//===- Requantization.h - the requantization an int8 kernel runs -*- C++
//-*-===//
//
// An int8 convolution kernel's epilogue requantizes accumulators that it
// builds its own way (from u8-flipped inputs, or with a correction applied
// after the tiles), so which requantization forms are exact depends on the
// kernel as much as on the op. prom-select-kernels records the cheapest
// exact form in `#prom.kernel`'s `requant` (selectRequantForm); the kernel
// builds that form's constants from the same accumulators
// (kernelRequantConstants).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_REQUANTIZATION_H
#define PROM_CODEGEN_CPU_COMMON_REQUANTIZATION_H

#include "Prom/Conversion/PromToLinalg/VectorKernels.h"
#include "Prom/Dialect/Prom/IR/PromAttrs.h"

namespace mlir {
namespace prom {

/// How a kernel accumulates an int8 or ternary convolution: each output
/// channel's start besides the bias (`correction`), its requantization
/// scale, and the accumulators it reaches (nullopt where the bias is not a
/// constant).
struct KernelAccumulators {
  SmallVector<int32_t> correction;
  SmallVector<double> scales;
  std::optional<lowering::AccumulatorRanges> ranges;
};

/// The accumulators of kernel `kind` in `form` (pointwise_dot,
/// pointwise_amx or depthwise_vector) for `conv` (prom.conv2d or
/// prom.ternary_conv2d with int8 constant weights), or nullopt.
std::optional<KernelAccumulators>
kernelAccumulators(Operation *conv, KernelKind kind,
                   std::optional<KernelForm> form);

/// The cheapest requantization form exact for those accumulators.
FailureOr<RequantForm> selectRequantForm(Operation *conv, KernelKind kind,
                                         std::optional<KernelForm> form);

/// The constants of `kernel`'s recorded requantization form for `conv`;
/// fails where `kernel` has no form, or the form is not exact for `conv`.
/// Builds no IR: a kernel's pattern calls it before it changes anything.
FailureOr<lowering::RequantConstants> kernelRequantConstants(Operation *conv,
                                                             KernelAttr kernel);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_REQUANTIZATION_H
