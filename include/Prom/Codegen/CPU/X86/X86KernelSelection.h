//===- X86KernelSelection.h - kernels and tiles for x86 ---------*- C++ -*-===//

#ifndef PROM_CODEGEN_CPU_X86_X86KERNELSELECTION_H
#define PROM_CODEGEN_CPU_X86_X86KERNELSELECTION_H

#include "Prom/Codegen/CPU/Common/KernelSelection.h"

namespace mlir {
namespace prom {

/// The x86 kernel for `op` under `request` (request.isa is not None), with
/// its form and tile from the x86 cost estimates, or a reference kernel
/// with the reason; null for an op x86 has no kernel family for.
KernelAttr selectX86Kernel(Operation *op, const KernelRequest &request);

/// i32 lanes per vector of `form`, and input channels per lane.
int64_t x86DotLanes(X86DotKind form);
int64_t x86DotGroup(X86DotKind form);

/// The largest |w0| + |w1| over the weight pairs vpmaddubsw multiplies
/// (input channels 2k and 2k + 1 of each of the `rows` output channels of
/// `weights`); the form saturates above 128.
int maxPairSum(llvm::ArrayRef<int8_t> weights, int64_t rows);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_X86_X86KERNELSELECTION_H
