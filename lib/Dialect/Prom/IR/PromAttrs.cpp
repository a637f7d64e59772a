//===- PromAttrs.cpp - prom attribute verifiers ---------------------------===//

#include "Prom/Dialect/Prom/IR/PromAttrs.h"

using namespace mlir;
using namespace mlir::prom;

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 CpuArch arch, StringRef cpu,
                                 CpuFeatures features, int64_t vectorBits,
                                 int64_t vectorRegisters, int64_t l1dBytes,
                                 int64_t l2Bytes) {
  if (vectorBits < 64 || !llvm::isPowerOf2_64(vectorBits))
    return emitError() << "vector_bits must be a power of two >= 64, got "
                       << vectorBits;
  if (vectorRegisters <= 0 || l1dBytes <= 0 || l2Bytes <= 0)
    return emitError()
           << "vector_registers, l1d_bytes and l2_bytes must be positive";
  constexpr CpuFeatures x86 = CpuFeatures::Avx2 | CpuFeatures::Avx512F |
                              CpuFeatures::Avx512Bw | CpuFeatures::Avx512Vnni |
                              CpuFeatures::AvxVnni | CpuFeatures::AmxInt8;
  constexpr CpuFeatures arm =
      CpuFeatures::Neon | CpuFeatures::DotProd | CpuFeatures::I8mm;
  if (arch != CpuArch::X86_64 && bitEnumContainsAny(features, x86))
    return emitError() << "x86 features on a " << stringifyCpuArch(arch)
                       << " target";
  if (arch != CpuArch::AArch64 && bitEnumContainsAny(features, arm))
    return emitError() << "AArch64 features on a " << stringifyCpuArch(arch)
                       << " target";
  return success();
}

LogicalResult KernelAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 KernelKind kind, KernelIsa isa,
                                 std::optional<KernelForm> form, int64_t lanes,
                                 int64_t tilePixels, int64_t tileBlocks,
                                 int64_t chunkBytes,
                                 std::optional<RequantForm> requant,
                                 StringRef reason) {
  bool pointwise = kind == KernelKind::PointwiseDot;
  bool amx = kind == KernelKind::PointwiseAmx;
  bool tiled = pointwise || amx || kind == KernelKind::FloatConvVector ||
               kind == KernelKind::MergedConvVector;
  if (kind == KernelKind::Reference) {
    if (reason.empty())
      return emitError() << "a reference kernel needs a reason";
    if (isa != KernelIsa::None || form || lanes || tilePixels || tileBlocks ||
        chunkBytes || requant)
      return emitError() << "a reference kernel has no parameters";
    return success();
  }
  if (!reason.empty())
    return emitError() << "only a reference kernel has a reason";
  if (kind == KernelKind::Epilogue) {
    if (isa != KernelIsa::None || form || lanes || tilePixels || tileBlocks ||
        chunkBytes || requant)
      return emitError() << "an epilogue has no parameters (its producer's "
                            "kernel has them)";
    return success();
  }
  if (lanes <= 0)
    return emitError() << "kernel " << stringifyKernelKind(kind)
                       << " needs positive lanes";
  bool depthwise = kind == KernelKind::DepthwiseVector;
  if (pointwise != (chunkBytes > 0) || (pointwise && !form) ||
      (form && !pointwise && !depthwise))
    return emitError() << "chunk_bytes is pointwise_dot's parameter, and "
                          "form pointwise_dot's and depthwise_vector's; "
                          "pointwise_dot requires both";
  if (depthwise && form &&
      (*form != KernelForm::Vpmaddwd || isa == KernelIsa::None))
    return emitError() << "depthwise_vector's only form is vpmaddwd, on an "
                          "x86 isa";
  if (depthwise || kind == KernelKind::FloatDepthwiseVector) {
    if (tilePixels <= 0 || tileBlocks != 0)
      return emitError() << stringifyKernelKind(kind)
                         << " needs tile_pixels (its tile along W), and no "
                            "tile_blocks";
  } else if (tiled != (tilePixels > 0 && tileBlocks > 0))
    return emitError() << "tile_pixels and tile_blocks are required by the "
                          "tiled kernels (pointwise_dot, pointwise_amx, "
                          "float_conv_vector, merged_conv_vector), and only "
                          "there";
  if (tilePixels < 0 || tileBlocks < 0 || chunkBytes < 0)
    return emitError() << "negative kernel parameter";
  if ((kind == KernelKind::TernaryAdd || kind == KernelKind::AddVector) &&
      isa != KernelIsa::None)
    return emitError() << stringifyKernelKind(kind)
                       << " is plain vector code: it has no isa";
  if (pointwise && isa == KernelIsa::None)
    return emitError() << "pointwise_dot needs an isa";
  if (pointwise &&
      (*form == KernelForm::Vpdpbusd) != (isa == KernelIsa::Avx512Vnni))
    return emitError() << "vpdpbusd is the avx512_vnni form, and only it";
  if (pointwise && lanes != (*form == KernelForm::Vpdpbusd ? 16 : 8))
    return emitError() << "pointwise_dot has 16 lanes in the vpdpbusd form "
                          "(zmm), 8 in the AVX2 forms (ymm)";
  if (amx != (isa == KernelIsa::AmxInt8))
    return emitError() << "pointwise_amx is the amx_int8 kernel, and the "
                          "only one";
  if (amx && lanes != 16)
    return emitError() << "pointwise_amx has 16 lanes (a tile row of i32)";
  if ((pointwise || amx || depthwise) != requant.has_value())
    return emitError() << "requant is required by the int8 convolution "
                          "kernels (pointwise_dot, pointwise_amx, "
                          "depthwise_vector), and only there";
  if (requant == RequantForm::NarrowI16 &&
      (!pointwise || *form != KernelForm::Vpmaddubsw))
    return emitError() << "narrow_i16 is the requantization of "
                          "pointwise_dot's vpmaddubsw form only";
  return success();
}
