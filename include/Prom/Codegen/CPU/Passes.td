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

//===----------------------------------------------------------------------===//
// Kernels: each lowers the ops whose #prom.kernel names it
//===----------------------------------------------------------------------===//

def PromTernaryToAdd : Pass<"prom-ternary-to-add"> {
  let summary = "Lower ternary 1x1 convolutions to additions and subtractions";
  let description = [{
    The PROM paper's meaning of a ternary convolution. For each
    `prom.ternary_conv2d` with constant weights, the input channels whose
    weight is +1 and those whose weight is -1 are listed per output channel
    at compile time (two index lists with offsets, as i32 constants; zero
    weights are not listed and cost nothing). Each output is then

      acc[p, o] = bias[o] - zp * (|plus(o)| - |minus(o)|)
                  + sum_{i in plus(o)} x[p, i] - sum_{i in minus(o)} x[p, i]

    where the first line is a per-channel constant folded at compile time,
    and the loops over the lists only widen int8 inputs and add or subtract
    them into an i32 accumulator: no multiply. The i32 accumulator cannot
    overflow for fewer than 2^23 input channels (each term is at most 255
    in magnitude after the zero point); the result wraps exactly like the
    reference lowering anyway. Requantization, the only multiply, follows
    as in `convert-prom-to-linalg`, so the output bytes are the reference's
    (checked by the differential tests).

    Why index lists: the weights are compile-time constants, so the code is
    specialized to them; lists skip zeros, which TWN makes common (about
    40% of MobileNetV2's ternary weights), and keep the inner loop free of
    any select or multiply by +-1. Ternary convs with non-constant weights
    are left to the reference lowering.

    It lowers the ops whose `prom.kernel` is `ternary_add`
    (prom-select-kernels) and fails on one it cannot lower. With the
    kernel's `lanes` = V > 1 (16 by default) the sums run over V pixels
    at once: the input is transposed once to channel-major [C, pixels], so
    that one input channel of V consecutive pixels is one vector load, and
    each list entry costs a vector load, a widening and a vector add into
    an i32 accumulator vector (masked at the last, partial tile).
    `lanes = 1` gives the scalar form.
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
                "dot-product kernels for an x86 ISA";
  let description = [{
    The fast path for pointwise convolutions with constant weights
    (`prom.conv2d` with a 1x1 window, one group and no padding, and
    `prom.ternary_conv2d`): a register-tiled kernel built around the
    target's integer dot-product instruction, with the same output bytes
    as the reference lowering. Dense `prom.conv2d` with any other window,
    stride, dilation or padding (one group: MobileNet's 3x3 stem) takes the
    same kernel after im2col: the input padded with its zero point, each
    output pixel's window copied into one row ([kh][kw][ci], the weights'
    order), so the convolution is the matrix product the kernel computes.

    Activations are made unsigned (u = x + 128, the sign bit flipped), so
    that the zero-point term becomes a per-channel constant folded at
    compile time:

      acc[p, o] = bias[o] - (zp + 128) * sum_i w[o, i] + sum_i u[p, i] * w[o, i]

    The pixels go in chunks of about `chunk_bytes` of u, each flipped and
    then covered by all its tiles, so that u stays in L2 beside the input
    and the output instead of making a round trip to L3 (144->24@56^2:
    451 KB of u).

    Weights are packed at compile time into blocks of `lanes` output
    channels by `group` input channels (the instruction's operand layout),
    zero-padded at the edges, and column by column of tiles: the weights
    one column of tiles reads are contiguous, not spread over the pages of
    the whole layer (320->1280@7^2 AVX2 ternary: 148 -> 130 us on Zen 4). A tile of `TP` pixels by `TB` blocks of output
    channels keeps its accumulators in vector registers across the whole
    reduction; each step broadcasts `group` activations of a pixel and
    issues one dot product per block. The per-channel requantization runs
    on the tile's vectors (the reference's fixed-point rule: in i32 lanes
    around one 32 x 32 -> 64 multiply where every channel's shift is at
    least 33, else in i64 lanes step for step; docs/numerics.md) and
    stores int8 outputs.

    Forms (the kernel's `form`, which prom-select-kernels chooses):
    - `avx512-vnni`: `vpdpbusd` (u8 x s8, 4 per i32 lane), 16 output
      channels a zmm. The tile (up to 8 pixels x 4 blocks, within 30 of
      the 32 registers) is chosen per convolution by prom-select-kernels'
      x86 cost estimate:
      dot products and loads per step, the requantization per
      accumulator, and the pixels or blocks a tile that does not divide
      the result computes twice (e.g. 7 x 2 for the 7 x 7 maps, where 6
      pixels would compute 54 of 49).
    - `avx2`: `vpmaddubsw` (u8 x s8 pairs to s16) added up in s16
      accumulators for as many steps as cannot overflow (32767 / (255 *
      the layer's largest |w0| + |w1|): 64 steps of 4 channels for ternary
      weights), then widened into i32 by `vpmaddwd` with ones; 8 channels
      a ymm, the tile chosen likewise (up to 4 x 4, within 14 of the 16
      registers: 4 x 2, or 3 x 3 for 24 channels; two blocks of a pixel
      are requantized and stored as one 16-channel vector). `vpmaddubsw`
      saturates its pair sums, so it is used only where no pair of
      weights can reach the limit (|w0| + |w1| <= 128: always for ternary
      weights, checked per layer for int8);
      other int8 layers use `vpmaddwd` on u16 x s16 pairs, which is exact
      for any weights.

    It lowers the ops whose `prom.kernel` is `pointwise_dot`, with that
    kernel's form, tile and chunks, and fails on one it cannot lower (a
    form its weights would saturate included). Because the kernels call x86
    intrinsics, the code must be compiled for a CPU with the kernel's ISA.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::prom::PromDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PromDepthwiseVector : Pass<"prom-depthwise-vector"> {
  let summary = "Lower int8 depthwise convolutions to vector code over "
                "channels";
  let description = [{
    The fast path for `prom.conv2d` with one input and one output channel
    per group (depthwise, any window, stride, dilation and padding),
    constant weights, static shapes and at least `lanes` channels. In NHWC
    the channels of a pixel are contiguous, so one vector holds `lanes`
    channels of one pixel:

      acc[p, c] = bias[c] - zp * sum_taps w[c, tap]
                  + sum_taps x_padded[tap(p), c] * w[c, tap]

    with the input padded by its zero point (so padding adds zero after the
    correction) and the weights re-laid out at compile time as
    [taps][channels] i32. A tile of 4 output pixels along W keeps 4
    accumulator vectors across all taps; channels and pixels are covered by
    overlapping tiles at the edges, so there is one copy of the unrolled
    tile code and no masking. The requantization runs on the vectors (the
    reference's fixed-point rule), so the output bytes are the reference's.
    Plain vector ops: any target runs it. It lowers the ops whose
    `prom.kernel` is `depthwise_vector`, with its `lanes` (16 for AVX-512, 8
    for AVX2), and fails on one it cannot lower.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PromFloatConvVector : Pass<"prom-float-conv-vector"> {
  let summary = "Lower f32 convolutions with constant weights to "
                "register-tiled vector kernels";
  let description = [{
    The fast path for convolutions left in float (`tosa.conv2d` on f32 with
    constant weights and bias, zero points 0, static shapes, any window,
    stride, dilation and padding): the layers a quantization plan keeps in
    float, the convolutions of a QDQ model whose outputs have no
    QuantizeLinear, and whole float models.

    As `prom-pointwise-dot` does for int8: a 1x1 convolution's (strided)
    pixels, or any other window's im2col rows (the input padded with 0.0,
    each output pixel's window as one row [kh][kw][ci]), times the weights
    packed at compile time as [K][blocks][lanes]; a tile of `TP` pixels by
    `TB` blocks of `lanes` output channels keeps its accumulators in vector
    registers over the whole reduction, one broadcast of an input value per
    pixel and step, then the stores.

    Each step is a multiply and a separate add, in the reference's order
    (bias, then kh, kw, ci): the same two roundings per term as the
    reference lowering of `tosa.conv2d`, so the output is the reference's
    bit for bit (no fused multiply-add, which would round once). On Zen,
    where multiplies and adds issue to different pipes, that costs no
    throughput against FMA.

    Plain vector ops: any target runs it. It lowers the ops whose
    `prom.kernel` is `float_conv_vector`, with its `lanes` and tile (16
    lanes for AVX-512: 6 x 2; 8 for AVX2: 4 x 2), and fails on one it
    cannot lower.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PromMergedConvVector : Pass<"prom-merged-conv-vector"> {
  let summary = "Lower HASTE's merged convolutions to register-tiled vector "
                "kernels";
  let description = [{
    The fast path for the convolutions `prom-haste` leaves behind:
    `linalg.conv_2d_nhwc_hwcf` on f32 or i32 (all three operands of one
    type) over one image, whose input channel count, and for patches the
    output's height and width, are known only at run time; the window and
    the output channels must be static.

    The merged HWCF weights are read as they are: one vector load per block
    of output channels and step, masked for a partial last block. A tile of
    `TP` pixels by `TB` blocks of
    `lanes` output channels keeps its accumulators in vector registers over
    the whole reduction, one broadcast of an input value per pixel and step;
    the pixels left over after whole tiles run one at a time.

    Each step is a multiply and a separate add in the reference's order
    (the accumulator's start, then kh, kw, c): f32 rounds as the reference
    loops do and the output is theirs bit for bit; i32 wraps as they do.

    HASTE's integer form has i16 operands into i32 (`prom-haste` narrows
    the merged values when they provably fit). With an `isa`, those
    multiply channel pairs: `prom.x86_dot vpmaddwd` of a broadcast input
    pair and the weights packed at run time as pairs per output channel
    ([KH][KW][ceil(C/2)][blocks][lanes][2]: two rows interleaved, a block at
    a time); an odd last channel pairs with 0.

    When the accumulators start from a broadcast per-channel bias and the
    conv's one use is a `prom.rescale` per output channel without an input
    zero point (prom-haste's integer form), the two are fused: the bias
    vector starts each tile's accumulators and the reference's
    requantization runs on them before i8 stores, so neither the bias tile
    nor the i32 result is materialized. Products of i16 values and their pair sums fit i32, so the result is
    the reference's exactly. Without one they widen and take one channel
    per step.

    It lowers the ops whose `prom.kernel` is `merged_conv_vector`, with its
    `lanes`, tile and `isa` (16 lanes for AVX-512: 6 x 2; 8 for AVX2: 4 x
    2), and fails on one it cannot lower.
  }];
  let dependentDialects = [
    "::mlir::prom::PromDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def ConvertPromX86ToLLVM : Pass<"convert-prom-x86-to-llvm"> {
  let summary = "Lower prom.x86_dot to LLVM intrinsic calls";
  let description = [{
    Each `prom.x86_dot` becomes a `llvm.call_intrinsic` of its instruction
    (`llvm.x86.avx512.vpdpbusd.512`, `llvm.x86.avx2.pmadd.ub.sw`, ...),
    followed by an `arith.addi` of the accumulator for the kinds that do not
    accumulate themselves. Runs after bufferization (the intrinsic call has
    unknown memory effects, which buffer deallocation rejects) and before
    `convert-vector-to-llvm`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
  ];
}

#endif // PROM_CODEGEN_CPU_PASSES_TD
