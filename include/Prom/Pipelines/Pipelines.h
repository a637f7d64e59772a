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
  Option<bool> ternaryToAdd{
      *this, "ternary-to-add",
      llvm::cl::desc("Lower ternary convolutions with constant weights to "
                     "additions and subtractions (prom-ternary-to-add) "
                     "instead of the reference multiply-accumulate"),
      llvm::cl::init(false)};
};

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
