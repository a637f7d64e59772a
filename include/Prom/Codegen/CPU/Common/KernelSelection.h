//===- KernelSelection.h - each op's kernel, chosen once --------*- C++ -*-===//
//
// prom-select-kernels records on each op the kernel that lowers it
// (`prom.kernel`); the kernel passes read it back with getKernel and report
// any op they were given but could not lower (checkKernelsApplied).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_KERNELSELECTION_H
#define PROM_CODEGEN_CPU_COMMON_KERNELSELECTION_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace prom {

/// The op attribute that holds the chosen kernel.
constexpr llvm::StringLiteral kKernelAttrName = "prom.kernel";

/// How ternary 1x1 convolutions are lowered.
enum class TernaryKernel { Dot, Add, Reference };

/// Which kernel takes the 1x1 convolutions where AMX is available.
enum class PointwiseKernel { Auto, Dot, Amx };

/// What the selection is asked for, resolved against the target.
struct KernelRequest {
  KernelIsa isa;                  // None: no x86 kernels
  TernaryKernel ternary;          // Dot only with an isa
  int64_t addLanes;               // ternary_add's pixels per vector
  int64_t tilePixels, tileBlocks; // 1x1 dot tile overrides (0: estimated)
  int64_t chunkBytes;
  PointwiseKernel pointwise = PointwiseKernel::Auto; // Amx only with AmxInt8
  bool byteTables = false;    // table_vector: AVX-512 with VBMI's vpermi2b
  bool depthwisePairs = true; // depthwise_vector in the vpmaddwd form
};

/// prom.add's rule for `op` in the add_vector kernel's i32 form, or nullopt
/// where its scales have no fixed-point form or no exact i32 one.
std::optional<NarrowAddForm> narrowAddForm(AddOp op);

/// The best kernel ISA `target` runs (None if it has no x86 kernels).
KernelIsa bestKernelIsa(TargetAttr target);

/// The ISA's name as users write it ("avx512-vnni"), and back.
std::string kernelIsaName(KernelIsa isa);
std::optional<KernelIsa> parseKernelIsa(llvm::StringRef name);

/// Why the int8 or ternary convolution `conv` (prom.conv2d,
/// prom.ternary_conv2d) cannot take a kernel specialized to its weights
/// (shapes not static, weights not int8 constants, a requantization scale
/// out of range), or "" when it can.
std::string integerKernelObstacle(Operation *conv);

/// Why the f32 `tosa.conv2d` `op` cannot take float_conv_vector (shapes
/// not static, not f32, weights or bias unknown, zero points not 0, a bias
/// neither per channel nor one value), or "" when it can.
std::string floatConvObstacle(Operation *op);

/// Why the f32 `tosa.depthwise_conv2d` `op` cannot take
/// float_depthwise_vector with `lanes` lanes (shapes not static, not f32,
/// weights or bias unknown, zero points not 0, a channel multiplier, fewer
/// channels than lanes), or "" when it can.
std::string floatDepthwiseObstacle(Operation *op, int64_t lanes);

/// A reference kernel, `reason` saying why.
KernelAttr referenceKernel(MLIRContext *context, const llvm::Twine &reason);

/// `op`'s kernel, if one was chosen.
KernelAttr getKernel(Operation *op);

/// `op`'s kernel if it is of `kind`, else null.
KernelAttr getKernel(Operation *op, KernelKind kind);

/// Whether `op` was given a kernel of `kind`.
bool hasKernel(Operation *op, KernelKind kind);

/// A kernel pass's work: `patterns` (which take the ops given `kind`)
/// applied to `root`, then checkKernelsApplied.
LogicalResult applyKernelPatterns(Operation *root, RewritePatternSet &&patterns,
                                  KernelKind kind, llvm::StringRef pass);

/// Fails, with an error on each, if an op under `root` still names `kind`:
/// `pass` was given it but could not lower it.
LogicalResult checkKernelsApplied(Operation *root, KernelKind kind,
                                  llvm::StringRef pass);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_KERNELSELECTION_H
