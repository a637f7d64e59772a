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
  let summary = "Remove the prom attributes left on the LLVM dialect module";
  let description = [{
    The end of `prom-to-llvm`: the LLVM dialect module keeps no prom
    attribute (`prom.target`, the entry's `prom.uint8` markers), so that
    upstream tools (`mlir-translate`) read it.
  }];
}

def PromSelectKernels : Pass<"prom-select-kernels", "::mlir::ModuleOp"> {
  let summary = "Choose each op's kernel and its parameters for the target";
  let description = [{
    Attaches `prom.kernel` (`#prom.kernel`) to every convolution, pooling,
    elementwise and fully connected op: the kernel that will lower it, with
    its instruction form, register tile and chunking, or `reference` with
    the reason; an op that has one already keeps it. The decision reads the
    module's `prom.target` (an error without one) and the cost estimates of
    the target's family (on AMX targets, AMX or VNNI per 1x1 layer); the
    kernel passes only carry it out. `isa` holds the kernels to an instruction set
    the target has (an error if it lacks it); the tile and chunk options
    override the estimates for every 1x1 convolution.
  }];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"auto\"",
           "Kernel instruction set: auto (the target's best), none "
           "(reference lowering), avx2, avx512-vnni or amx-int8">,
    Option<"ternaryKernel", "ternary-kernel", "std::string",
           /*default=*/"\"auto\"",
           "Ternary 1x1 convolutions: auto (dot where isa has kernels, add "
           "otherwise), dot, add or reference">,
    Option<"addLanes", "add-lanes", "int64_t", /*default=*/"16",
           "Pixels per vector of the ternary add kernel (1: scalar)">,
    Option<"tilePixels", "tile-pixels", "int64_t", /*default=*/"0",
           "Pixels per register tile of the 1x1 kernels (0: estimated)">,
    Option<"tileBlocks", "tile-blocks", "int64_t", /*default=*/"0",
           "Blocks of output channels per register tile (0: estimated)">,
    Option<"chunkBytes", "chunk-bytes", "int64_t", /*default=*/"131072",
           "Bytes of flipped activations per chunk of the 1x1 kernels">,
    Option<"pointwiseKernel", "pointwise-kernel", "std::string",
           /*default=*/"\"auto\"",
           "1x1 convolutions with isa amx-int8: auto (AMX or VNNI by "
           "estimate), dot (VNNI) or amx (AMX wherever it applies)">,
    Option<"depthwiseForm", "depthwise-form", "std::string",
           /*default=*/"\"auto\"",
           "int8 depthwise convolutions with an x86 isa: auto (vpmaddwd, "
           "two taps a step) or multiply (an i32 multiply and add per "
           "tap)">,
  ];
  let dependentDialects = ["::mlir::prom::PromDialect"];
}

//===----------------------------------------------------------------------===//
// Kernels: each lowers the ops whose #prom.kernel names it
//===----------------------------------------------------------------------===//

def PromOutlineLayers : Pass<"prom-outline-layers", "::mlir::ModuleOp"> {
  let summary = "Move each layer into a function of its own";
  let description = [{
    Replaces each op of a public function's body that carries `prom.kernel`
    by a call of a new private function holding it (`layer_<name>`), with
    the constants it reads cloned inside so that its kernel still sees
    them. The function stays out of line down to LLVM (`noinline`), so that
    samples, profiles and code generation see one function per layer; its
    `prom.layer` attribute records the layer's name, op, kernel, result
    type and MACs for prom-profile-layers. An op whose kernel is
    `epilogue` moves with its producer, whose kernel computes it.
    Quantizes and dequantizes stay in place, where linalg fuses them with
    the elementwise ops around them.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def PromProfileLayers : Pass<"prom-profile-layers", "::mlir::ModuleOp"> {
  let summary = "Count the cycles of each layer call at run time";
  let description = [{
    After bufferization: around each call of a `prom.layer` function in a
    public function, and around the public function's whole body, reads the
    cycle counter (`llvm.readcyclecounter`) and adds the cycles and one call
    to that layer's row of `prom_profile` (a `memref<(layers + 1) x 2 x
    i64>` global, atomically, so concurrent calls may share it). The rows'
    layers, in order, are the module's `prom.profile_layers`; the last row
    is the whole call.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def PromFuseElementwise : Pass<"prom-fuse-elementwise"> {
  let summary = "Fuse chains of elementwise linalg.generic ops into one loop";
  let description = [{
    Upstream's elementwise fusion, limited to producers with a single user
    whose body does not read its own output: such a producer, fused into a
    consumer that broadcasts its result, would become a result written
    once per broadcast element and read back in between.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PromChannelsInnermost : Pass<"prom-channels-innermost"> {
  let summary = "Make output channels the innermost loop of linalg's pools, "
                "depthwise convolutions and matmuls";
  let description = [{
    Rewrites `linalg.pooling_nhwc_{sum,max,min}`,
    `linalg.depthwise_conv_2d_nhwc_hwc{,m}{,_q}` and
    `linalg.{,batch_}matmul` (what `tosa-to-linalg-named` makes of pools,
    depthwise convolutions and fully connected layers) as `linalg.generic`
    ops whose reduction loops come before the output channels: each step
    then updates a contiguous row of outputs, which vectorizes, instead of
    running one output's scalar chain over values a row apart. Each output
    still sums its terms in the same order, so float results are unchanged.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def PromTernaryToAdd : Pass<"prom-ternary-to-add"> {
  let summary = "Lower ternary 1x1 convolutions to additions and subtractions";
  let description = [{
    Lowers each op whose `prom.kernel` is `ternary_add` into additions and
    subtractions only, the PROM paper's form: per output channel, index
    lists of the inputs with weight +1 and -1, summed over `lanes` pixels
    a vector (1: scalar loops); the requantization follows the reference's
    rule, so the output bytes are the reference's. It fails on an op it was
    given but cannot lower. docs/kernels.md has the arithmetic.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PromPointwiseDot : Pass<"prom-pointwise-dot"> {
  let summary = "Lower 1x1 int8 and ternary convolutions to register-tiled "
                "dot-product kernels";
  let description = [{
    Lowers each op whose `prom.kernel` is `pointwise_dot` (int8 and ternary
    1x1 convolutions with constant weights; dense KxK ones through im2col)
    to a register-tiled kernel around the dot-product instruction of the
    kernel's form (on x86 `vpdpbusd`, `vpmaddubsw`, `vpmaddwd`), with its
    tile, chunk size and requantization form: activations made into the
    instruction's inputs chunk by chunk, weights packed at compile time,
    the requantization on the tile's vectors; the output bytes are the
    reference's. It fails on an op it cannot lower, a form its weights
    would saturate or a requantization form not exact for it included.
    docs/kernels.md has the forms and the arithmetic.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::prom::PromDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::prom::x86::PromX86Dialect"
  ];
}

def PromPointwiseAmx : Pass<"prom-pointwise-amx", "::mlir::ModuleOp"> {
  let summary = "Lower 1x1 int8 and ternary convolutions to AMX tile "
                "kernels, one function per layer";
  let description = [{
    Replaces each op whose `prom.kernel` is `pointwise_amx` (the ops
    `prom-pointwise-dot` takes, on an AMX int8 target) by a call of a new
    private, never-inlined function: weights packed at compile time as
    AMX B tiles, each tile of `tile_pixels` x 16 `tile_blocks` outputs a
    `prom_x86.amx_matmul` of the int8 activations as they are, and the
    requantization of the stored accumulators; the output bytes are
    the reference's. One function per layer, because LLVM configures the
    tiles once per function. It fails on an op it cannot lower.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::prom::PromDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::prom::x86::PromX86Dialect"
  ];
}

def PromLowerAmxMatmul : Pass<"prom-lower-amx-matmul"> {
  let summary = "Lower bufferized prom_x86.amx_matmul to amx tile operations";
  let description = [{
    Each `prom_x86.amx_matmul` on memrefs becomes straight-line `amx` code:
    its result in tiles of up to 16 x 16 i32, groups of up to four of them
    accumulated in tile registers over all the reduction steps
    (`amx.tile_load`, `amx.tile_muli` of signed bytes, that is `tdpbssd`),
    then stored. Fails on an op left on tensors.
  }];
  let dependentDialects = [
    "::mlir::amx::AMXDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def PromRequestAmxState : Pass<"prom-request-amx-state", "::mlir::ModuleOp"> {
  let summary = "Ask the OS for AMX state at each entry point; release the "
                "tiles after use";
  let description = [{
    In a module with `amx` operations: defines `i32 prom_amx_request()`,
    which asks Linux once per process for the AMX tile state
    (`arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)`) and returns 0
    when granted; makes every public function call it first and stop with
    a message (`cf.assert`) where it is refused; and releases the tiles
    (`tilerelease`) where each function that uses them returns.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def PromAddVector : Pass<"prom-add-vector"> {
  let summary = "Lower int8 residual adds to i32 vector code";
  let description = [{
    Lowers each `prom.add` whose `prom.kernel` is `add_vector` to a loop
    over `lanes` elements of its flattened inputs: both sign-extended to
    i32, each multiplied by its own multiplier, added with one addend and
    shifted right, then clamped. The multipliers, addend and shift are the
    form that the selection found equal to prom.add's rule on all 65536
    input pairs (`findNarrowAddForm`), so the bytes are the reference's. A
    size that is not a multiple of `lanes` ends with a vector that overlaps
    its neighbour. It fails on an op it cannot lower.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def PromTableVector : Pass<"prom-table-vector"> {
  let summary = "Lower int8 table lookups to AVX-512 VBMI byte permutes";
  let description = [{
    Lowers each `prom.table` whose `prom.kernel` is `table_vector` to a
    loop over 64-byte vectors of its flattened input: two
    `prom_x86.vpermi2b` look the bytes up in the table's low and high
    halves, and the sign of each input byte picks one. A size that is not
    a multiple of 64 ends with a vector that overlaps its neighbour (or,
    under 64 bytes, with one masked vector). It fails on an op it cannot
    lower.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::prom::x86::PromX86Dialect"
  ];
}

def PromDepthwiseVector : Pass<"prom-depthwise-vector"> {
  let summary = "Lower int8 depthwise convolutions to vector code over "
                "channels";
  let description = [{
    Lowers each op whose `prom.kernel` is `depthwise_vector` (int8
    depthwise convolutions with constant weights) to vector code over
    `lanes` channels of a pixel and tiles of `tile_pixels` output pixels
    along W, in the kernel's `form` (without one: an i32 multiply and add
    per tap; `vpmaddwd`: two taps a step), with the reference's
    requantization and output bytes. It fails on an op it cannot lower.
    docs/kernels.md has the details.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::prom::x86::PromX86Dialect"
  ];
}

def PromFloatConvVector : Pass<"prom-float-conv-vector"> {
  let summary = "Lower f32 convolutions with constant weights to "
                "register-tiled vector kernels";
  let description = [{
    Lowers each op whose `prom.kernel` is `float_conv_vector` (f32
    `tosa.conv2d` with weights and bias known at compile time) to a
    register-tiled kernel of `lanes` output channels a vector, with a
    multiply and a separate add per term in the reference's order, so the
    output is the reference's bit for bit. It fails on an op it cannot
    lower. docs/kernels.md has the details.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PromFloatDepthwiseVector : Pass<"prom-float-depthwise-vector"> {
  let summary = "Lower f32 depthwise convolutions with constant weights to "
                "vector code over channels";
  let description = [{
    Lowers each op whose `prom.kernel` is `float_depthwise_vector` (f32
    `tosa.depthwise_conv2d` with weights and bias known at compile time, no
    channel multiplier) to vector code over `lanes` channels of a pixel and
    tiles of `tile_pixels` output pixels along W, with a multiply and a
    separate add per tap in the reference's order, so the output is the
    reference's bit for bit. It fails on an op it cannot lower.
    docs/kernels.md has the details.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PromMergedConvVector : Pass<"prom-merged-conv-vector"> {
  let summary = "Lower HASTE's merged convolutions to register-tiled vector "
                "kernels";
  let description = [{
    Lowers each op whose `prom.kernel` is `merged_conv_vector` (the
    `linalg.conv_2d_nhwc_hwcf` that `prom-haste` leaves, with a dynamic
    channel count) to a register-tiled kernel; with an `isa`, i16 operands
    multiply in channel pairs (`vpmaddwd`), and a following per-channel
    `prom.rescale` is fused into the stores. The output is the reference's
    bit for bit. It fails on an op it cannot lower. docs/kernels.md has
    the details.
  }];
  let dependentDialects = [
    "::mlir::prom::PromDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::prom::x86::PromX86Dialect"
  ];
}

def ConvertPromX86ToLLVM : Pass<"convert-prom-x86-to-llvm"> {
  let summary = "Lower prom_x86.dot and prom_x86.vpermi2b to LLVM intrinsic "
                "calls";
  let description = [{
    Each `prom_x86.dot` becomes a `llvm.call_intrinsic` of its instruction
    (`llvm.x86.avx512.vpdpbusd.512`, `llvm.x86.avx2.pmadd.ub.sw`, ...),
    followed by an `arith.addi` of the accumulator for the kinds that do not
    accumulate themselves; each `prom_x86.vpermi2b` becomes
    `llvm.x86.avx512.vpermi2var.qi.512`. Runs after bufferization (the intrinsic call has
    unknown memory effects, which buffer deallocation rejects) and before
    `convert-vector-to-llvm`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
  ];
}

#endif // PROM_CODEGEN_CPU_PASSES_TD
