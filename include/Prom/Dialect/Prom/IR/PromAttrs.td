//===- PromAttrs.td - prom attributes -----------------------*- tablegen -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMATTRS_TD
#define PROM_DIALECT_PROM_IR_PROMATTRS_TD

include "Prom/Dialect/Prom/IR/PromDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

// How a layer's weights are represented after quantization. Recorded on the
// layer by `prom-assign-bitwidths`, read by `prom-quantize`.
def Prom_BitWidth : I32EnumAttr<"BitWidth", "weight representation of a layer", [
    I32EnumAttrCase<"Float", 0, "float">,
    I32EnumAttrCase<"Int8", 1, "int8">,
    I32EnumAttrCase<"Ternary", 2, "ternary">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

def Prom_BitWidthAttr : EnumAttr<Prom_Dialect, Prom_BitWidth, "bitwidth"> {
  let summary = "weight bit-width chosen for a layer";
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Code generation: the target and the kernel chosen for each op
//===----------------------------------------------------------------------===//

def Prom_CpuArch : I32EnumAttr<"CpuArch", "CPU architecture family", [
    I32EnumAttrCase<"Generic", 0, "generic">,
    I32EnumAttrCase<"X86_64", 1, "x86_64">,
    I32EnumAttrCase<"AArch64", 2, "aarch64">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

// The ISA features prom's kernels are chosen by (LLVM's feature names in
// TargetDescription.cpp).
def Prom_CpuFeatures : I32BitEnumAttr<"CpuFeatures",
    "CPU features that prom's kernels depend on", [
    I32BitEnumAttrCaseNone<"None", "none">,
    I32BitEnumAttrCaseBit<"Avx2", 0, "avx2">,
    I32BitEnumAttrCaseBit<"Avx512F", 1, "avx512f">,
    I32BitEnumAttrCaseBit<"Avx512Bw", 2, "avx512bw">,
    I32BitEnumAttrCaseBit<"Avx512Vnni", 3, "avx512_vnni">,
    I32BitEnumAttrCaseBit<"AvxVnni", 4, "avx_vnni">,
    I32BitEnumAttrCaseBit<"AmxInt8", 5, "amx_int8">,
    I32BitEnumAttrCaseBit<"Neon", 6, "neon">,
    I32BitEnumAttrCaseBit<"DotProd", 7, "dotprod">,
    I32BitEnumAttrCaseBit<"I8mm", 8, "i8mm">,
    I32BitEnumAttrCaseBit<"Avx512Vbmi", 9, "avx512vbmi">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
  let separator = "|";
}

def Prom_TargetAttr : AttrDef<Prom_Dialect, "Target"> {
  let mnemonic = "target";
  let summary = "the CPU the code is compiled for";
  let description = [{
    What prom's kernel selection needs to know of the target, recorded once
    on the module (`prom.target`) by `prom-set-target` from the host or from
    an LLVM CPU name and feature list; no pass probes the host itself.

    ```mlir
    module attributes {prom.target = #prom.target<arch = x86_64,
        cpu = "znver4", features = avx2|avx512f|avx512bw|avx512_vnni,
        vector_bits = 512, vector_registers = 32, l1d_bytes = 32768,
        l2_bytes = 1048576>} {}
    ```
  }];
  let parameters = (ins
    EnumParameter<Prom_CpuArch>:$arch,
    StringRefParameter<"LLVM CPU name">:$cpu,
    EnumParameter<Prom_CpuFeatures>:$features,
    "int64_t":$vector_bits,
    "int64_t":$vector_registers,
    "int64_t":$l1d_bytes,
    "int64_t":$l2_bytes
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Whether the target has every feature of `wanted`.
    bool has(CpuFeatures wanted) const {
      return (getFeatures() & wanted) == wanted;
    }
  }];
}

// The kernels an op can be given (prom-select-kernels).
def Prom_KernelKind : I32EnumAttr<"KernelKind", "kernel family", [
    I32EnumAttrCase<"Reference", 0, "reference">,
    I32EnumAttrCase<"PointwiseDot", 1, "pointwise_dot">,
    I32EnumAttrCase<"TernaryAdd", 2, "ternary_add">,
    I32EnumAttrCase<"DepthwiseVector", 3, "depthwise_vector">,
    I32EnumAttrCase<"FloatConvVector", 4, "float_conv_vector">,
    I32EnumAttrCase<"MergedConvVector", 5, "merged_conv_vector">,
    I32EnumAttrCase<"PointwiseAmx", 6, "pointwise_amx">,
    I32EnumAttrCase<"TableVector", 7, "table_vector">,
    I32EnumAttrCase<"FloatDepthwiseVector", 8, "float_depthwise_vector">,
    I32EnumAttrCase<"Epilogue", 9, "epilogue">,
    I32EnumAttrCase<"AddVector", 10, "add_vector">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

// The multiply-accumulate instruction a kernel is built on. The x86 forms
// are prom_x86.dot's kinds; another target's forms are added here.
def Prom_KernelForm : I32EnumAttr<"KernelForm", "kernel instruction form", [
    I32EnumAttrCase<"Vpdpbusd", 0, "vpdpbusd">,
    I32EnumAttrCase<"Vpmaddubsw", 1, "vpmaddubsw">,
    I32EnumAttrCase<"Vpmaddwd", 2, "vpmaddwd">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

// The instruction set a kernel is emitted for, each a superset of the one
// before: amx_int8 is AVX-512 VNNI vectors plus AMX int8 tiles.
def Prom_KernelIsa : I32EnumAttr<"KernelIsa", "kernel instruction set", [
    I32EnumAttrCase<"None", 0, "none">,
    I32EnumAttrCase<"Avx2", 1, "avx2">,
    I32EnumAttrCase<"Avx512Vnni", 2, "avx512_vnni">,
    I32EnumAttrCase<"AmxInt8", 3, "amx_int8">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

// How an int8 kernel's epilogue turns its i32 accumulators into the
// reference's bytes (docs/numerics.md), cheapest last. Each is exact only
// for some scales and accumulator ranges; the selection records the
// cheapest exact one.
def Prom_RequantForm : I32EnumAttr<"RequantForm", "requantization form", [
    I32EnumAttrCase<"I64", 0, "i64">,
    I32EnumAttrCase<"HighWord", 1, "high_word">,
    I32EnumAttrCase<"HighWordHalfUp", 2, "high_word_half_up">,
    I32EnumAttrCase<"NarrowI32", 3, "narrow_i32">,
    I32EnumAttrCase<"NarrowI16", 4, "narrow_i16">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

class Prom_EnumParameterWithDefault<EnumInfo info, string value>
    : EnumParameter<info> {
  let defaultValue = value;
}

def Prom_KernelAttr : AttrDef<Prom_Dialect, "Kernel"> {
  let mnemonic = "kernel";
  let summary = "the kernel an op is lowered by, and its parameters";
  let description = [{
    Attached as `prom.kernel` by `prom-select-kernels`, read by the kernel
    passes: each lowers exactly the ops whose kernel names it, with these
    parameters, and fails on an op it cannot lower. `reference` ops go to
    `convert-prom-to-linalg` (or TOSA's lowering); `reason` says why. An
    `epilogue` op (a `tosa.clamp` or residual `tosa.add` after a float
    kernel) is computed by its producer's kernel before the store, and has
    no parameters.

    - `isa`: the instruction set of the kernel's code;
    - `form`: the multiply-accumulate instruction of `pointwise_dot`, and
      of `depthwise_vector` where it has one (`vpmaddwd`: two taps a step;
      without: an i32 multiply and add per tap);
    - `lanes`: i32 (or f32) lanes per vector, output channels per block
      (bytes per vector for `table_vector`);
    - `tile_pixels` x `tile_blocks`: the register tile of `pointwise_dot`
      (pixels by blocks of `lanes` channels), or the AMX tiles of
      `pointwise_amx` (pixels, a multiple of 16 or all of them, by blocks
      of 16 channels); the depthwise kernels have only `tile_pixels`,
      output pixels along W per tile;
    - `chunk_bytes`: flipped activations per chunk of `pointwise_dot`;
    - `requant`: the requantization form of the int8 convolution kernels
      (`pointwise_dot`, `pointwise_amx`, `depthwise_vector`), exact for the
      op's scales and the accumulators the kernel reaches: `i64` (the
      reference's 64-bit product), `high_word` (the high word of a 32 x 32
      product of the magnitude), `high_word_half_up` (of the signed value,
      where no accumulator is a negative tie), `narrow_i32` (one i32
      multiply, add and shift), `narrow_i16` (the same with multipliers
      that fit i16, folded by the `vpmaddubsw` form into the widening
      multiply).

    ```mlir
    #prom.kernel<kind = pointwise_dot, isa = avx512_vnni, form = vpdpbusd,
                 lanes = 16, tile_pixels = 7, tile_blocks = 2,
                 chunk_bytes = 131072, requant = narrow_i32>
    #prom.kernel<kind = reference, reason = "weights are not constant">
    ```
  }];
  let parameters = (ins
    EnumParameter<Prom_KernelKind>:$kind,
    Prom_EnumParameterWithDefault<Prom_KernelIsa,
                                  "::mlir::prom::KernelIsa::None">:$isa,
    OptionalParameter<"std::optional<KernelForm>">:$form,
    DefaultValuedParameter<"int64_t", "0">:$lanes,
    DefaultValuedParameter<"int64_t", "0">:$tile_pixels,
    DefaultValuedParameter<"int64_t", "0">:$tile_blocks,
    DefaultValuedParameter<"int64_t", "0">:$chunk_bytes,
    OptionalParameter<"std::optional<RequantForm>">:$requant,
    StringRefParameter<"why the reference lowering", "\"\"">:$reason
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // PROM_DIALECT_PROM_IR_PROMATTRS_TD
