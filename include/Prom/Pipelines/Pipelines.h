//===- Pipelines.h - prom's named pass pipelines ----------------*- C++ -*-===//

#ifndef PROM_PIPELINES_PIPELINES_H
#define PROM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace llvm {
class MCSubtargetInfo;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class OpPassManager;
namespace prom {

struct PromToLLVMPipelineOptions
    : public PassPipelineOptions<PromToLLVMPipelineOptions> {
  Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Emit _mlir_ciface_<name> entry points for public "
                     "functions"),
      llvm::cl::init(true)};
  Option<bool> ternaryToAdd{
      *this, "ternary-to-add",
      llvm::cl::desc("Lower ternary convolutions with constant weights to "
                     "additions and subtractions (prom-ternary-to-add) "
                     "instead of the reference multiply-accumulate"),
      llvm::cl::init(false)};
  Option<std::string> kernelIsa{
      *this, "kernel-isa",
      llvm::cl::desc("x86 ISA of prom's optimized kernels (prom-pointwise-dot, "
                     "prom-depthwise-vector): "
                     "none (reference lowering only), avx2 or avx512-vnni; "
                     "the code must then run on such a CPU"),
      llvm::cl::init("none")};
  Option<bool> ternaryDot{
      *this, "ternary-dot",
      llvm::cl::desc("With kernel-isa, also lower ternary convolutions that "
                     "ternary-to-add has not taken to dot-product kernels"),
      llvm::cl::init(true)};
  Option<int64_t> pointwiseTilePixels{
      *this, "pointwise-tile-pixels",
      llvm::cl::desc("prom-pointwise-dot's tile-pixels (0: chosen per "
                     "convolution)"),
      llvm::cl::init(0)};
  Option<int64_t> pointwiseTileBlocks{
      *this, "pointwise-tile-blocks",
      llvm::cl::desc("prom-pointwise-dot's tile-blocks (0: chosen per "
                     "convolution)"),
      llvm::cl::init(0)};
};

/// The `kernel-isa` for a target that has the LLVM subtarget features
/// `hasFeature` says it has ("avx2", ...): the best form of prom's kernels
/// it runs, or "none".
std::string
selectKernelIsa(llvm::function_ref<bool(llvm::StringRef)> hasFeature);
/// The same for a target machine's subtarget.
std::string selectKernelIsa(const llvm::MCSubtargetInfo &subtarget);

/// prom + TOSA + linalg on tensors -> LLVM dialect, through the reference
/// lowering (convert-prom-to-linalg) and loops.
void buildPromToLLVMPipeline(OpPassManager &pm,
                             const PromToLLVMPipelineOptions &options);

/// Adds what `prom-to-llvm` needs from upstream to `registry`: the
/// bufferization, deallocation and to-LLVM interface implementations of the
/// dialects it passes through, and the LLVM IR translations.
void registerPromToLLVMDependencies(DialectRegistry &registry);

/// Registers `prom-to-llvm` for textual pipelines and prom-opt.
void registerPromPipelines();

} // namespace prom
} // namespace mlir

#endif // PROM_PIPELINES_PIPELINES_H
