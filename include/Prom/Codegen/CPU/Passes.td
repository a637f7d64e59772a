//===- Passes.td - prom CPU code generation passes ----------*- tablegen -*-===//

#ifndef PROM_CODEGEN_CPU_PASSES_TD
#define PROM_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def PromSetTarget : Pass<"prom-set-target", "::mlir::ModuleOp"> {
  let summary = "Record the target CPU on the module";
  let description = [{
    Attaches `prom.target` (`#prom.target`: architecture, features, vector
    width, registers, caches) for `triple`, `cpu` and `features`, or for
    the host when all three are empty. A module that already has one keeps
    it unless `override` is set. Every later pass reads the target from
    here; an unknown CPU or feature is an error.
  }];
  let options = [
    Option<"triple", "triple", "std::string", /*default=*/"",
           "LLVM target triple (default: the host's)">,
    Option<"cpu", "cpu", "std::string", /*default=*/"",
           "LLVM CPU name, e.g. znver4 (default: the host's)">,
    Option<"features", "features", "std::string", /*default=*/"",
           "LLVM features on top of the CPU's, e.g. -avx512f">,
    Option<"override", "override", "bool", /*default=*/"false",
           "Replace a target the module already has">,
  ];
  let dependentDialects = ["::mlir::prom::PromDialect"];
}

def PromDropTarget : Pass<"prom-drop-target", "::mlir::ModuleOp"> {
  let summary = "Remove the module's prom.target once nothing reads it";
  let description = [{
    The end of `prom-to-llvm`: the LLVM dialect module keeps no prom
    attribute, so that upstream tools (`mlir-translate`) read it.
  }];
}

def PromSelectKernels : Pass<"prom-select-kernels", "::mlir::ModuleOp"> {
  let summary = "Choose each op's kernel and its parameters for the target";
  let description = [{
    Attaches `prom.kernel` (`#prom.kernel`) to every convolution, pooling,
    elementwise and fully connected op: the kernel that will lower it, with
    its instruction form, register tile and chunking, or `reference` with
    the reason; an op that has one already keeps it. The decision reads the module's `prom.target` (an error
    without one) and the cost estimates of the target's family; the kernel
    passes only carry it out. `isa` holds the kernels to an instruction set
    the target has (an error if it lacks it); the tile and chunk options
    override the estimates for every 1x1 convolution.
  }];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"auto\"",
           "Kernel instruction set: auto (the target's best), none "
           "(reference lowering), avx2 or avx512-vnni">,
    Option<"ternaryKernel", "ternary-kernel", "std::string",
           /*default=*/"\"auto\"",
           "Ternary 1x1 convolutions: auto (dot where isa has kernels, add "
           "otherwise), dot, add or reference">,
    Option<"addLanes", "add-lanes", "int64_t", /*default=*/"16",
           "Pixels per vector of the ternary add kernel (1: scalar)">,
    Option<"tilePixels", "tile-pixels", "int64_t", /*default=*/"0",
           "Pixels per register tile of the 1x1 dot kernels (0: estimated)">,
    Option<"tileBlocks", "tile-blocks", "int64_t", /*default=*/"0",
           "Blocks of output channels per register tile (0: estimated)">,
    Option<"chunkBytes", "chunk-bytes", "int64_t", /*default=*/"131072",
           "Bytes of flipped activations per chunk of the 1x1 dot kernels">,
  ];
  let dependentDialects = ["::mlir::prom::PromDialect"];
}

#endif // PROM_CODEGEN_CPU_PASSES_TD
