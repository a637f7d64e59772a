//===- LayerFunctions.h - one function per layer, and its profile -*- C++
//-*-===//
//
// prom-outline-layers gives each layer a function of its own and describes
// it in `prom.layer`; prom-profile-layers counts the cycles of their calls
// in `prom_profile`, in the order of the module's `prom.profile_layers`.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_LAYERFUNCTIONS_H
#define PROM_CODEGEN_CPU_COMMON_LAYERFUNCTIONS_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
namespace prom {

/// On a layer's function: {name, op, kernel, type, macs}, all builtin
/// attributes, so that the lowered module stays readable without prom.
inline constexpr llvm::StringLiteral kLayerAttrName = "prom.layer";

/// The run-time counters: per layer call site {cycles, calls}, then the
/// whole public function's.
inline constexpr llvm::StringLiteral kProfileCountersName = "prom_profile";

/// On the module: the `prom.layer` of each counter row but the last.
inline constexpr llvm::StringLiteral kProfileLayersAttrName =
    "prom.profile_layers";

/// `kernel` in a few words: kind, ISA, instruction form and tile
/// ("pointwise_dot avx512-vnni vpdpbusd 6x2").
std::string describeKernel(KernelAttr kernel);

/// `kernel`'s tile: pixels by blocks ("6x2"), a depthwise kernel's pixels
/// alone ("4"), or "" when it has none.
std::string describeTile(KernelAttr kernel);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_LAYERFUNCTIONS_H
