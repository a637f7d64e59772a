//===- VectorKernels.h - pieces of prom's vector kernels --------*- C++ -*-===//
//
// What the optimized convolution lowerings (prom-pointwise-dot,
// prom-depthwise-vector) build the same way: index arithmetic, in-bounds
// vector reads, tile loops, and the per-channel constants and vector
// requantization of the reference's fixed-point rule.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CONVERSION_PROMTOLINALG_VECTORKERNELS_H
#define PROM_CONVERSION_PROMTOLINALG_VECTORKERNELS_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace prom {
namespace lowering {

/// A kernel pass's `lanes` option: an error on `op` naming `pass` unless it
/// is positive.
LogicalResult checkLanes(Operation *op, StringRef pass, int64_t lanes);

Value indexConstant(ImplicitLocOpBuilder &b, int64_t v);

/// v + c (v itself when c is 0).
Value addIndex(ImplicitLocOpBuilder &b, Value v, int64_t c);

/// An in-bounds vector read of `tensor` at `at`.
Value readVector(ImplicitLocOpBuilder &b, VectorType type, Value tensor,
                 ValueRange at);

/// x + y in a float or integer type (or vectors of them).
Value add(ImplicitLocOpBuilder &b, Value x, Value y);

/// sum / count on vectors: a float division, or for integers the quotient
/// rounded half away from zero, computed in f64 (x86 has no vector integer
/// division): exact for |sum| < 2^31 and count < 2^21, since the f64
/// quotient is within 2^-22 of the exact one while an exact quotient that
/// is not a multiple of 1/2 is at least 1 / (2 * count) from one.
Value average(ImplicitLocOpBuilder &b, Value sum, Value count);

using LoopBody =
    function_ref<SmallVector<Value>(ImplicitLocOpBuilder &, Value, ValueRange)>;

/// scf.for from `lb` to `ub` (step 1) carrying `init`; `body(b, iv, args)`
/// returns the values to yield.
ValueRange forRange(ImplicitLocOpBuilder &b, Value lb, Value ub,
                    ValueRange init, LoopBody body);

/// scf.for from 0 to `ub`.
ValueRange forLoop(ImplicitLocOpBuilder &b, Value ub, ValueRange init,
                   LoopBody body);

/// A loop over [0, count) threading one tensor: `body(builder, i, tensor)`
/// returns the tensor after iteration i.
Value emitLoop(ImplicitLocOpBuilder &b, int64_t count, Value init,
               function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> body);

/// Where tile t of `size` starts in [0, total): min(t * size, total -
/// size), the last tile overlapping its neighbour (emitTileLoop).
Value tileStart(ImplicitLocOpBuilder &b, Value t, int64_t size, int64_t total);

/// A loop over ceil(total / size) tiles of `size` covering [0, total),
/// threading one tensor: tile t starts at min(t * size, total - size), so
/// the last one overlaps its neighbour (recomputing, and storing again, the
/// same values) instead of needing a second, shorter copy of unrolled tile
/// code. Needs size <= total.
Value emitTileLoop(
    ImplicitLocOpBuilder &b, int64_t total, int64_t size, Value init,
    function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> body);

/// `map` applied to `x` flattened, `width` elements at a time (an
/// emitTileLoop, its last vector overlapping its neighbour; one masked
/// vector if `x` has fewer than `width` elements), into a tensor of x's
/// shape and `element`.
Value mapFlatVectors(ImplicitLocOpBuilder &b, Value x, int64_t width,
                     Type element,
                     function_ref<Value(ImplicitLocOpBuilder &, Value)> map);
/// The same over several tensors of one shape, read at the same elements.
Value mapFlatVectors(
    ImplicitLocOpBuilder &b, ValueRange xs, int64_t width, Type element,
    function_ref<Value(ImplicitLocOpBuilder &, ValueRange)> map);

/// Per output channel (a row of `weights`, `rows` of them), the constant
/// part of sum_i (x_i - zeroPoint) * w_i: -zeroPoint * sum_i w_i, wrapped
/// to i32 like the reference's accumulator (equal modulo 2^32).
SmallVector<int32_t> zeroPointTerms(ArrayRef<int8_t> weights, int64_t rows,
                                    int64_t zeroPoint);

/// Per-channel tensors of a requantizing convolution, padded to `channels`:
/// the i32 start of each accumulator (bias + `correction`), and the
/// fixed-point multiplier m and shift s of input * weight[c] / output scale
/// (padding: m = 0, so padding lanes stay 0). When every channel has
/// s >= 33 (scales below 1/4: all but unusual layers), `round` is set and
/// the tensors hold the high-word form requantizeVector runs: `shift` is
/// s - 32 and `round` 2^(s - 33); else `shift` is s. `halfUp`: the
/// high-word form, and no accumulator the channel reaches (by `ranges`;
/// without them, any i32) is a negative tie of it (smallestTie), so
/// requantizeVector may round half up on signed values. `narrow`: given
/// `ranges`, every channel has a NarrowFixedPoint over its accumulators
/// (findNarrowFixedPoint), which the tensors then hold: the i32 form of one
/// multiply, add and shift. Its accumulators start at 0, `round` (the addend)
/// holding the start times the multiplier and the output zero point besides.
/// `i16Multipliers`: narrow, and every multiplier in [0, 32767], as
/// AccumulatorRanges::i16Multipliers asked for.
struct ChannelConstants {
  Value init, multiplier, shift, round;
  bool halfUp = false, narrow = false, i16Multipliers = false;
};
/// Each channel's accumulator start (`init`, bias + correction) and
/// reachable accumulators [lo[c], hi[c]], and the output's zero point and
/// clamp: what lets createChannelConstants choose the narrow form.
/// `i16Multipliers`: try narrow forms whose multipliers fit i16 first (a
/// kernel can then multiply by them in the vpmaddwd that widens its s16
/// sums), the most precise ones where not every channel has one.
struct AccumulatorRanges {
  SmallVector<int64_t> init, lo, hi;
  int64_t outputZp;
  std::pair<int32_t, int32_t> clamp;
  bool i16Multipliers = false;
};
/// Each row's reachable accumulators when every input ranges over
/// [inputLo, inputHi]: init (bias + `correction`) plus the sum of the row's
/// weights times whichever end makes each product smallest, or largest;
/// nullopt when the bias is not a constant.
std::optional<AccumulatorRanges>
accumulatorRanges(ArrayRef<int8_t> weights, int64_t rows, Value bias,
                  ArrayRef<int32_t> correction, int64_t inputLo,
                  int64_t inputHi, int64_t outputZp,
                  std::pair<int32_t, int32_t> clamp);
/// The cheapest requantization form exact for each channel's `scales` over
/// the accumulators in `ranges` (without them: any i32), trying the narrow
/// forms (i16 multipliers first where `ranges` asks for them), the high
/// word rounding half up, the high word, then i64; fails where a scale has
/// no fixed-point form.
FailureOr<RequantForm> chooseRequantForm(ArrayRef<double> scales,
                                         const AccumulatorRanges *ranges);
/// Each channel's requantization constants in one form, not yet in the IR:
/// the accumulators' `start` (the correction, or 0 in the narrow forms),
/// the multiplier, the shift and (narrow and high-word forms) the addend.
struct RequantConstants {
  RequantForm form;
  SmallVector<int32_t> start, multiplier, shift, round;
};
/// The constants of `form` for each channel's `scales` over `ranges`;
/// fails where `form` is not exact for them (chooseRequantForm says which
/// forms are). Builds no IR, so a pattern may call it before it commits.
FailureOr<RequantConstants>
computeRequantConstants(ArrayRef<int32_t> correction, ArrayRef<double> scales,
                        const AccumulatorRanges *ranges, RequantForm form);
/// `constants` as [channels] tensors (padding channels compute 0), the
/// starts plus `bias` (may be null) outside the narrow forms.
ChannelConstants createChannelConstants(ImplicitLocOpBuilder &b,
                                        int64_t channels,
                                        const RequantConstants &constants,
                                        Value bias);
/// Both in the form chooseRequantForm chooses (prom.rescale's scales in
/// HASTE's merged kernels, whose selection records no form).
FailureOr<ChannelConstants>
createChannelConstants(ImplicitLocOpBuilder &b, int64_t channels,
                       ArrayRef<int32_t> correction, Value bias,
                       ArrayRef<double> scales,
                       const AccumulatorRanges *ranges = nullptr);

/// One vector of channels' requantization constants (`round` null in the
/// i64 form). `premultiplied`: narrow, and the accumulators already hold
/// acc * m' (requantizeVector then only adds and shifts).
struct RequantLanes {
  Value multiplier, shift, round;
  bool halfUp = false, narrow = false, premultiplied = false;
};
RequantLanes readRequantLanes(ImplicitLocOpBuilder &b,
                              const ChannelConstants &constants,
                              VectorType lanes, Value channel);

/// The reference's requantization of one vector of i32 accumulators: an i8
/// vector. The i64 form is the reference's own code; the high-word form
/// computes the same bytes in i32 lanes around one 32 x 32 -> 64 unsigned
/// multiply (docs/numerics.md, "Applying a fixed-point scale in 32 bits");
/// the narrow form has the zero point folded in, so `outputZp` is unused.
Value requantizeVector(ImplicitLocOpBuilder &b, Value acc,
                       const RequantLanes &lanes, int64_t outputZp,
                       std::pair<int32_t, int32_t> clamp);

/// Stores block `channel` of several pixels into `out` (channels last,
/// `cout` of them): `ys[i]` at (pixels[i]..., channel). A block that may
/// reach past the last channel (in emitTileLoop's tiles only a tile's last
/// block can) is stored under one branch for all the pixels: in bounds
/// when whole, else masked (a single channel as a scalar). A branch per
/// store would chain tensor-valued scf.ifs, and one-shot bufferization
/// visits both branches of each: exponential in the chain's length.
Value storeBlocks(ImplicitLocOpBuilder &b, ArrayRef<Value> ys, Value out,
                  ArrayRef<SmallVector<Value>> pixels, Value channel,
                  int64_t lanes, int64_t cout, bool mayBePartial);

/// A convolution over the static NHWC `input` with a KH x KW window and
/// output shape `out`, as the [N * OH * OW, KH * KW * C] matrix its
/// weights multiply: a 1x1 unpadded window's (strided) pixels as they are,
/// any other window through im2col, row (n, oh, ow) holding the window it
/// reads, [kh][kw][ci] as OHWI weights are laid out, from the input padded
/// by `pad` with `padValue` (the zero point: padding then adds nothing, as
/// in the reference; one copy of KH * KW times the output pixels'
/// channels).
Value windowRows(ImplicitLocOpBuilder &b, Value input, ArrayRef<int64_t> pad,
                 TypedAttr padValue, ArrayRef<int64_t> stride,
                 ArrayRef<int64_t> dilation, int64_t kh, int64_t kw,
                 ArrayRef<int64_t> out);

/// The [pixels, cout] result of a matrix kernel, covered by tiles of `np`
/// pixels by `nb` blocks of lanes (emitTileLoop over `blocks` columns,
/// then pixels), expanded to `outType` (NHWC). `tile(builder, out, p0, b0)`
/// emits the tile at pixel p0 and block b0 and returns `out` after it.
Value emitPixelBlockTiles(
    ImplicitLocOpBuilder &b, RankedTensorType outType, int64_t blocks,
    int64_t np, int64_t nb,
    function_ref<Value(ImplicitLocOpBuilder &, Value, Value, Value)> tile);

/// A depthwise convolution's window over static NHWC shapes.
struct DepthwiseWindow {
  ArrayRef<int64_t> in, out;
  int64_t kh, kw;
  ArrayRef<int64_t> stride, dilation;
  ArrayRef<int64_t> pad; // top, bottom, left, right
};

/// The arithmetic of a depthwise kernel over `lanes` channels from c0 and
/// `tileWidth` output pixels of a row: `input` is one read of the input,
/// `padding` what a read outside it gives. Each step multiplies one group
/// of taps (`groups`, taps numbered in [kh][kw] order; empty: one tap a
/// step, in order): `init(b, c0)` each pixel's accumulator start,
/// `weight(b, group, c0)` a group's weights, `step(b, acc, xs, w)` the
/// accumulator after a group whose taps read `xs`, and
/// `finish(b, acc, {n, oh, ow, c0})` the vector stored for an accumulator
/// at that output position.
struct DepthwiseKernel {
  int64_t lanes, tileWidth;
  VectorType input;
  Value padding;
  ArrayRef<SmallVector<int64_t, 2>> groups;
  function_ref<Value(ImplicitLocOpBuilder &, Value)> init;
  function_ref<Value(ImplicitLocOpBuilder &, int64_t, Value)> weight;
  function_ref<Value(ImplicitLocOpBuilder &, Value, ValueRange, Value)> step;
  function_ref<Value(ImplicitLocOpBuilder &, Value, ValueRange)> finish;
};

/// The loops of a depthwise kernel reading `x` into `result` (both NHWC,
/// channels >= lanes): per output row, channel blocks (emitTileLoop), then
/// tiles of pixels, so a block's weights stay in registers along the row.
/// Rows and columns whose taps all fall inside the input read it directly;
/// the others test each read's position. No padded copy is made.
Value emitDepthwiseLoops(ImplicitLocOpBuilder &b, Value x, Value result,
                         const DepthwiseWindow &window,
                         const DepthwiseKernel &kernel);

} // namespace lowering
} // namespace prom
} // namespace mlir

#endif // PROM_CONVERSION_PROMTOLINALG_VECTORKERNELS_H
