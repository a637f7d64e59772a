//===- PointwiseOperands.h - convolutions as matrix products ---*- C++ -*-===//
//
// What the pointwise kernels (prom-pointwise-dot, prom-pointwise-amx) read of
// an int8 or ternary convolution, and the operands they build from it: the
// activations as their instruction takes them (flipped to unsigned bytes,
// widened), the weights packed.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_POINTWISEOPERANDS_H
#define PROM_CODEGEN_CPU_COMMON_POINTWISEOPERANDS_H

#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <array>
#include <optional>

namespace mlir {
namespace prom {

/// What the kernel needs of a convolution: as a matrix product of its
/// input pixels (a 1x1 convolution's strided pixels, or a KxK
/// convolution's im2col rows) and its weights.
/// A KxK window whose rows are contiguous in the input (unit dilation
/// along W): row i of pixel (n, oh, ow)'s window is the kw * ci bytes of
/// `padded` [N, Hp, Wp * C] at [n, oh * stride[0] + i * dilation[0],
/// ow * stride[1] * C].
struct WindowRows {
  Value padded;
  int64_t kh, kw, ci;
  std::array<int64_t, 2> stride, dilation;
  int64_t outH, outW;
};

struct PointwiseConv {
  Value pixels, bias;          // pixels: [pixels, cin] i8
  SmallVector<int8_t> weights; // [cout][cin]
  float inputScale, outputScale;
  ArrayRef<float> weightScales;
  int64_t inputZp, outputZp;
  std::pair<int32_t, int32_t> clamp;
  RankedTensorType outType;
  /// Set where `pixels` is an im2col whose rows can be copied instead.
  std::optional<WindowRows> window;
};

/// Rows [first, first + count) of `conv`'s pixels in `element` (i8 or
/// i16), `width` >= cin columns, the extra ones zero: as u = x + 128 where
/// `flip` (the unsigned inputs of vpdpbusd and vpmaddubsw), else as they
/// are; copied from the window rows where `conv` has them, else from its
/// pixels and padded.
Value kernelPixelRows(ImplicitLocOpBuilder &b, const PointwiseConv &conv,
                      Value first, int64_t count, Type element, int64_t width,
                      bool flip);

/// The kernel's view of `op` (prom.conv2d or prom.ternary_conv2d) with
/// constant weights and static shapes: a 1x1 window's strided pixels, or
/// (`prom.conv2d`, one group) any window through im2col; nullopt for
/// anything else.
std::optional<PointwiseConv> matchPointwiseConv(ImplicitLocOpBuilder &b,
                                                Operation *op);

/// Pixels per chunk of the flipped activations (`rowBytes` each): about
/// `chunkBytes`, a multiple of np where there is more than one chunk, the
/// chunks balanced so that the last one (which overlaps its neighbour)
/// recomputes little.
int64_t chunkPixels(int64_t pixels, int64_t rowBytes, int64_t np,
                    int64_t chunkBytes);

/// `values` ([rows][cols] row-major) packed as [columns][cols / group]
/// [nb][lanes][group], zeros past the edges: column c holds the nb blocks
/// of `lanes` rows from block min(c * nb, blocks - nb), where emitTileLoop
/// puts it, so that the weights one column of tiles reads are contiguous
/// (in [steps][blocks] order, 320->1280 read its column's 80 steps from as
/// many pages).
SmallVector<int16_t> packWeights(ArrayRef<int8_t> values, int64_t rows,
                                 int64_t cols, int64_t lanes, int64_t group,
                                 int64_t nb);

/// The largest |w0| + |w1| over the weight pairs a pairwise instruction
/// multiplies (input channels 2k and 2k + 1 of each of the `rows` output
/// channels of `weights`): u8 x s8 pairs summed in s16 lanes (vpmaddubsw)
/// saturate above 128.
int maxPairSum(ArrayRef<int8_t> weights, int64_t rows);

/// `pixels` ([pixels, cin] i8) as `element`, + 128 (the sign bit flipped,
/// zero-extended for i16) where `flip`, else sign-extended, in vectors of
/// 64 over the flattened tensor (a linalg.generic here became a scalar
/// byte loop: LLVM does not vectorize it, source and result may alias
/// after bufferization); `pixels` itself for i8 without `flip`.
Value widenPixels(ImplicitLocOpBuilder &b, Value pixels, Type element,
                  bool flip);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_POINTWISEOPERANDS_H
