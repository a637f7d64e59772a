//===- Pipelines.cpp - prom's named pass pipelines ------------------------===//

#include "Prom/Pipelines/Pipelines.h"

#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Codegen/CPU/X86/BufferizableOpInterfaceImpl.h"
#include "Prom/Conversion/Passes.h"
#include "Prom/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

using namespace mlir;
using namespace mlir::prom;

void mlir::prom::buildPromToLLVMPipeline(
    OpPassManager &pm, const PromToLLVMPipelineOptions &options) {
  if (options.emitCInterface)
    pm.addPass(createPromEmitCInterface());
  PromSetTargetOptions target;
  target.cpu = options.cpu;
  target.features = options.features;
  pm.addPass(createPromSetTarget(target));
  PromSelectKernelsOptions select;
  select.isa = options.kernelIsa;
  select.ternaryKernel = options.ternaryKernel;
  select.tilePixels = options.pointwiseTilePixels;
  select.tileBlocks = options.pointwiseTileBlocks;
  select.pointwiseKernel = options.pointwiseKernel;
  select.depthwiseForm = options.depthwiseForm;
  pm.addPass(createPromSelectKernels(select));
  if (options.outlineLayers || options.profile)
    pm.addPass(createPromOutlineLayers());
  pm.addPass(createPromTernaryToAdd());
  pm.addPass(createPromPointwiseDot());
  pm.addPass(createPromPointwiseAmx());
  pm.addPass(createPromDepthwiseVector());
  pm.addPass(createPromFloatConvVector());
  pm.addPass(createPromFloatDepthwiseVector());
  pm.addPass(createPromMergedConvVector());
  pm.addPass(createPromTableVector());
  pm.addPass(createPromAddVector());
  pm.addPass(createConvertPromToLinalg());
  // Without TOSA's validation: it would check the IR after TOSA's own
  // decompositions, and rejects the rank-5 tosa.pad that the decomposition
  // of a padded 1x1 depthwise convolution makes.
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions(),
                              TosaToLinalgNamedOptions(), std::nullopt);
  // What tosa-to-linalg leaves: constants, reshapes, slices, pads, concats.
  pm.addPass(createTosaToArithPass());
  pm.addPass(createTosaToTensorPass());
  pm.addNestedPass<func::FuncOp>(createPromChannelsInnermost());
  // One loop for each chain of elementwise ops that the kernels leave
  // (the float glue between quantized layers): the same scalar ops, without
  // a buffer and a pass over memory between each two.
  pm.addNestedPass<func::FuncOp>(createPromFuseElementwise());

  // Tensors to buffers: function boundaries too, with plain row-major
  // memrefs so that the C entry points take simple descriptors.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // Also where bufferization cannot infer a layout (e.g. the scf.if of a
  // HASTE layer): fully dynamic strides there would reach the consumers'
  // vector loads and gathers, which need a unit innermost stride.
  bufferize.unknownTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  if (options.profile)
    pm.addPass(createPromProfileLayers());
  pm.addPass(createPromLowerAmxMatmul());
  pm.addPass(createPromRequestAmxState());

  // Loops to the LLVM dialect; expand-strided-metadata must run before
  // lower-affine, func last but one.
  pm.addPass(createPromMemRefCopyToLinalg());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertPromX86ToLLVM());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.amx = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  // What LLVM has no intrinsic for (erf, ...) becomes a libm call.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  // Allocation through prom's buffer cache (prom-define-cached-allocator).
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createPromDefineCachedAllocator());
  pm.addPass(createPromDropTarget());
}

void mlir::prom::registerPromToLLVMDependencies(DialectRegistry &registry) {
  // registerAllDialects also attaches the bufferization models of arith,
  // linalg and tensor; registerAllExtensions the to-LLVM interfaces. Both
  // only register: dialects still load lazily.
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerX86BufferizableOpInterfaceExternalModels(registry);
}

void mlir::prom::registerPromPipelines() {
  PassPipelineRegistration<PromToLLVMPipelineOptions>(
      "prom-to-llvm",
      "Lower prom, TOSA and linalg on tensors to the LLVM dialect: kernels "
      "selected for the target, the reference lowering for the rest",
      buildPromToLLVMPipeline);
}
