//===- Pipelines.h - prom's named pass pipelines ----------------*- C++ -*-===//

#ifndef PROM_PIPELINES_PIPELINES_H
#define PROM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

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
  Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("Target CPU (LLVM name) when the module has no "
                     "prom.target (default: the host)"),
      llvm::cl::init("")};
  Option<std::string> features{
      *this, "features",
      llvm::cl::desc("LLVM features on top of cpu's, e.g. -avx512f"),
      llvm::cl::init("")};
  Option<std::string> kernelIsa{
      *this, "kernel-isa",
      llvm::cl::desc("Instruction set of prom's kernels (prom-select-kernels "
                     "isa): none (reference lowering), auto (the target's "
                     "best), avx2, avx512-vnni or amx-int8"),
      llvm::cl::init("none")};
  Option<std::string> ternaryKernel{
      *this, "ternary-kernel",
      llvm::cl::desc("Ternary 1x1 convolutions: auto (dot with a kernel "
                     "isa, add otherwise), dot, add or reference"),
      llvm::cl::init("auto")};
  Option<int64_t> pointwiseTilePixels{
      *this, "pointwise-tile-pixels",
      llvm::cl::desc("1x1 dot kernels' pixels per tile (0: estimated)"),
      llvm::cl::init(0)};
  Option<int64_t> pointwiseTileBlocks{
      *this, "pointwise-tile-blocks",
      llvm::cl::desc("1x1 dot kernels' blocks per tile (0: estimated)"),
      llvm::cl::init(0)};
  Option<std::string> pointwiseKernel{
      *this, "pointwise-kernel",
      llvm::cl::desc("1x1 convolutions with kernel-isa amx-int8: auto (AMX "
                     "or VNNI by estimate), dot or amx"),
      llvm::cl::init("auto")};
  Option<std::string> depthwiseForm{
      *this, "depthwise-form",
      llvm::cl::desc("int8 depthwise convolutions with a kernel isa: auto "
                     "(vpmaddwd, two taps a step) or multiply"),
      llvm::cl::init("auto")};
  Option<bool> outlineLayers{
      *this, "outline-layers",
      llvm::cl::desc("One function per layer (prom-outline-layers)"),
      llvm::cl::init(true)};
  Option<bool> profile{
      *this, "profile",
      llvm::cl::desc("Count each layer's cycles at run time "
                     "(prom-profile-layers; implies outline-layers)"),
      llvm::cl::init(false)};
};

/// prom + TOSA + linalg on tensors -> LLVM dialect: the target recorded
/// (unless the module has one), each op's kernel selected, the kernels,
/// then the reference lowering (convert-prom-to-linalg) of the rest and
/// loops.
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
