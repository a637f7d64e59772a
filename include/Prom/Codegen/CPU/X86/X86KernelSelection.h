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

/// i32 lanes per vector of the 1x1 kernel in `form`: 16 for vpdpbusd
/// (AVX-512), 8 for the AVX2 forms.
int64_t x86DotLanes(KernelForm form);

/// The reduction depth of the AMX kernel for `cin` input channels: cin
/// rounded up to equal steps of at most 64 bytes (a tile row), each a
/// multiple of 4, so that all the A and B tiles of a layer have one shape.
int64_t amxReductionDepth(int64_t cin);

/// The bytes of one reduction step over `depth` (a multiple of 4): the
/// largest multiple of 4 up to 64 that divides it.
int64_t amxStepBytes(int64_t depth);

/// Whether `np` pixels by `nb` blocks of 16 channels is an AMX tile of a
/// [pixels, blocks] result: up to 3 tiles of 16 rows (or one of all the
/// pixels, if fewer than 16), up to 3 blocks, in 8 tile registers (the
/// accumulators, a row of A tiles and a column of B tiles).
bool isAmxTile(int64_t pixels, int64_t blocks, int64_t np, int64_t nb);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_X86_X86KERNELSELECTION_H
