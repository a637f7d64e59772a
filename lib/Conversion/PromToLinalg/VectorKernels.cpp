//===- VectorKernels.cpp - pieces of prom's vector kernels ----------------===//

#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"

#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/Padding.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "mlir/IR/TypeUtilities.h"
#include <numeric>

#include <limits>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

LogicalResult lowering::checkLanes(Operation *op, StringRef pass,
                                   int64_t lanes) {
  if (lanes > 0)
    return success();
  return op->emitError() << pass << ": lanes must be positive, got " << lanes;
}

Value lowering::indexConstant(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

Value lowering::addIndex(ImplicitLocOpBuilder &b, Value v, int64_t c) {
  return c ? arith::AddIOp::create(b, v, indexConstant(b, c)).getResult() : v;
}

Value lowering::readVector(ImplicitLocOpBuilder &b, VectorType type,
                           Value tensor, ValueRange at) {
  Value pad =
      arith::ConstantOp::create(b, b.getZeroAttr(type.getElementType()));
  return vector::TransferReadOp::create(b, type, tensor, at, pad,
                                        ArrayRef<bool>{true});
}

Value lowering::add(ImplicitLocOpBuilder &b, Value x, Value y) {
  if (isa<FloatType>(getElementTypeOrSelf(x.getType())))
    return arith::AddFOp::create(b, x, y);
  return arith::AddIOp::create(b, x, y);
}

Value lowering::average(ImplicitLocOpBuilder &b, Value sum, Value count) {
  Type element = sum.getType();
  if (isa<FloatType>(getElementTypeOrSelf(element)))
    return arith::DivFOp::create(b, sum, count);
  auto f64 = cast<VectorType>(element).clone(b.getF64Type());
  Value quotient =
      arith::DivFOp::create(b, arith::SIToFPOp::create(b, f64, sum),
                            arith::SIToFPOp::create(b, f64, count));
  return arith::FPToSIOp::create(b, element,
                                 math::RoundOp::create(b, quotient));
}

ValueRange lowering::forRange(ImplicitLocOpBuilder &b, Value lb, Value ub,
                              ValueRange init, LoopBody body) {
  auto loop = scf::ForOp::create(
      b, lb, ub, indexConstant(b, 1), init,
      [&](OpBuilder &nested, Location loc, Value iv, ValueRange args) {
        ImplicitLocOpBuilder nb(loc, nested);
        scf::YieldOp::create(nb, body(nb, iv, args));
      });
  return loop.getResults();
}

ValueRange lowering::forLoop(ImplicitLocOpBuilder &b, Value ub, ValueRange init,
                             LoopBody body) {
  return forRange(b, indexConstant(b, 0), ub, init, body);
}

Value lowering::emitLoop(
    ImplicitLocOpBuilder &b, int64_t count, Value init,
    function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> body) {
  return scf::ForOp::create(
             b, indexConstant(b, 0), indexConstant(b, count),
             indexConstant(b, 1), ValueRange{init},
             [&](OpBuilder &nested, Location loc, Value i, ValueRange it) {
               ImplicitLocOpBuilder lb(loc, nested);
               scf::YieldOp::create(lb, body(lb, i, it[0]));
             })
      .getResult(0);
}

Value lowering::tileStart(ImplicitLocOpBuilder &b, Value t, int64_t size,
                          int64_t total) {
  return arith::MinSIOp::create(
      b, arith::MulIOp::create(b, t, indexConstant(b, size)),
      indexConstant(b, total - size));
}

Value lowering::emitTileLoop(
    ImplicitLocOpBuilder &b, int64_t total, int64_t size, Value init,
    function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> body) {
  return emitLoop(b, llvm::divideCeil(total, size), init,
                  [&](ImplicitLocOpBuilder &lb, Value t, Value tensor) {
                    return body(lb, tileStart(lb, t, size, total), tensor);
                  });
}

Value lowering::mapFlatVectors(
    ImplicitLocOpBuilder &b, ValueRange xs, int64_t width, Type element,
    function_ref<Value(ImplicitLocOpBuilder &, ValueRange)> map) {
  auto type = cast<RankedTensorType>(xs.front().getType());
  int64_t total = type.getNumElements();
  ReassociationIndices all(type.getRank());
  std::iota(all.begin(), all.end(), 0);
  SmallVector<Value> flat;
  for (Value x : xs)
    flat.push_back(tensor::CollapseShapeOp::create(
        b, RankedTensorType::get({total}, type.getElementType()), x,
        ArrayRef<ReassociationIndices>{all}));
  auto vector = VectorType::get({width}, type.getElementType());
  Value out = tensor::EmptyOp::create(b, {total}, element);
  if (total >= width) {
    out = emitTileLoop(
        b, total, width, out,
        [&](ImplicitLocOpBuilder &lb, Value at, Value into) -> Value {
          SmallVector<Value> vs;
          for (Value x : flat)
            vs.push_back(readVector(lb, vector, x, {at}));
          return vector::TransferWriteOp::create(lb, map(lb, vs), into,
                                                 ValueRange{at},
                                                 ArrayRef<bool>{true})
              .getResult();
        });
  } else {
    Value zero = indexConstant(b, 0);
    Value pad =
        arith::ConstantOp::create(b, b.getZeroAttr(type.getElementType()));
    SmallVector<Value> vs;
    for (Value x : flat)
      vs.push_back(vector::TransferReadOp::create(b, vector, x, {zero}, pad,
                                                  ArrayRef<bool>{false}));
    out = vector::TransferWriteOp::create(b, map(b, vs), out, {zero},
                                          ArrayRef<bool>{false})
              .getResult();
  }
  return tensor::ExpandShapeOp::create(b, type.clone(element), out,
                                       ArrayRef<ReassociationIndices>{all});
}

Value lowering::mapFlatVectors(
    ImplicitLocOpBuilder &b, Value x, int64_t width, Type element,
    function_ref<Value(ImplicitLocOpBuilder &, Value)> map) {
  return mapFlatVectors(b, ValueRange{x}, width, element,
                        [&](ImplicitLocOpBuilder &lb, ValueRange vs) {
                          return map(lb, vs.front());
                        });
}

SmallVector<int32_t> lowering::zeroPointTerms(ArrayRef<int8_t> weights,
                                              int64_t rows, int64_t zeroPoint) {
  int64_t cols = weights.size() / rows;
  SmallVector<int32_t> terms;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t sum = 0;
    for (int8_t w : weights.slice(r * cols, cols))
      sum += w;
    terms.push_back(int32_t(uint32_t(-zeroPoint * sum)));
  }
  return terms;
}

std::optional<AccumulatorRanges>
lowering::accumulatorRanges(ArrayRef<int8_t> weights, int64_t rows, Value bias,
                            ArrayRef<int32_t> correction, int64_t inputLo,
                            int64_t inputHi, int64_t outputZp,
                            std::pair<int32_t, int32_t> clamp) {
  int64_t cols = weights.size() / rows;
  std::optional<SmallVector<int32_t>> biasValues =
      bias ? getInt32Constant(bias) : SmallVector<int32_t>(rows, 0);
  if (!biasValues)
    return std::nullopt;
  AccumulatorRanges ranges{{}, {}, {}, outputZp, clamp};
  for (int64_t r = 0; r < rows; ++r) {
    int64_t init = int64_t(correction[r]) + (*biasValues)[r];
    int64_t lo = init, hi = init;
    for (int8_t w : weights.slice(r * cols, cols)) {
      lo += std::min(w * inputLo, w * inputHi);
      hi += std::max(w * inputLo, w * inputHi);
    }
    ranges.init.push_back(init);
    ranges.lo.push_back(lo);
    ranges.hi.push_back(hi);
  }
  return ranges;
}

/// Every channel's NarrowFixedPoint over `ranges` (padding channels: 0),
/// its addend taking in init * m' so that the accumulators may start at 0,
/// or nullopt.
static std::optional<SmallVector<NarrowFixedPoint>>
findNarrowForms(ArrayRef<int32_t> multiplier, ArrayRef<int32_t> shift,
                int64_t scaled, const AccumulatorRanges &ranges,
                int32_t maxMultiplier) {
  SmallVector<NarrowFixedPoint> forms(multiplier.size(),
                                      NarrowFixedPoint{0, 0, 1});
  for (int64_t c = 0; c < scaled; ++c) {
    // From 0, the dot products alone (acc - init) are multiplied by m'.
    int64_t init = ranges.init[c];
    std::optional<NarrowFixedPoint> form = findNarrowFixedPoint(
        multiplier[c], shift[c], ranges.lo[c], ranges.hi[c], ranges.outputZp,
        ranges.clamp.first, ranges.clamp.second,
        std::max(std::abs(ranges.lo[c] - init), std::abs(ranges.hi[c] - init)),
        maxMultiplier);
    if (!form)
      return std::nullopt;
    // The new addend, and the products once more, must stay in i32 (the
    // sum of the two is acc * m' + addend, in i32 already).
    int64_t m = form->multiplier;
    int64_t addend = form->addend + init * m;
    auto fits = [](int64_t x) { return x >= INT32_MIN && x <= INT32_MAX; };
    if (!fits(addend) || !fits((ranges.lo[c] - init) * m) ||
        !fits((ranges.hi[c] - init) * m))
      return std::nullopt;
    forms[c] = {form->multiplier, int32_t(addend), form->shift};
  }
  return forms;
}

namespace {
/// Each channel's fixed-point scale, as the reference applies it.
struct ChannelScales {
  SmallVector<int32_t> multiplier, shift;
};
} // namespace

static std::optional<ChannelScales> channelScales(ArrayRef<double> scales) {
  ChannelScales fixed;
  for (double scale : scales) {
    std::optional<FixedPointScale> fp = computeFixedPointScale(scale);
    if (!fp)
      return std::nullopt;
    fixed.multiplier.push_back(fp->multiplier);
    fixed.shift.push_back(fp->shift);
  }
  return fixed;
}

/// Whether the high-word form applies (every shift at least 33) and, for
/// `halfUp`, rounds half up exactly: no accumulator reaches a negative tie,
/// each channel's smallest tie lying above the largest |acc| any channel
/// reaches (any i32 without `ranges`).
static bool highWordExact(const ChannelScales &fixed,
                          const AccumulatorRanges *ranges, bool halfUp) {
  if (!llvm::all_of(fixed.shift, [](int32_t s) { return s >= 33; }))
    return false;
  if (!halfUp)
    return true;
  int64_t accumulatorBound = int64_t(1) << 31;
  if (ranges) {
    int64_t largest = 0;
    for (auto [lo, hi] : llvm::zip(ranges->lo, ranges->hi))
      largest = std::max({largest, std::abs(lo), std::abs(hi)});
    accumulatorBound = std::min(largest, accumulatorBound);
  }
  return llvm::all_of(llvm::zip(fixed.multiplier, fixed.shift), [&](auto ms) {
    return smallestTie(std::get<0>(ms), std::get<1>(ms)) > accumulatorBound;
  });
}

/// The narrow forms of `fixed` over `ranges` for `form`, if exact.
static std::optional<SmallVector<NarrowFixedPoint>>
narrowForms(const ChannelScales &fixed, const AccumulatorRanges *ranges,
            RequantForm form) {
  if (!ranges)
    return std::nullopt;
  return findNarrowForms(
      fixed.multiplier, fixed.shift, fixed.multiplier.size(), *ranges,
      form == RequantForm::NarrowI16 ? std::numeric_limits<int16_t>::max()
                                     : std::numeric_limits<int32_t>::max());
}

FailureOr<RequantForm>
lowering::chooseRequantForm(ArrayRef<double> scales,
                            const AccumulatorRanges *ranges) {
  std::optional<ChannelScales> fixed = channelScales(scales);
  if (!fixed)
    return failure();
  if (ranges && ranges->i16Multipliers &&
      narrowForms(*fixed, ranges, RequantForm::NarrowI16))
    return RequantForm::NarrowI16;
  if (narrowForms(*fixed, ranges, RequantForm::NarrowI32))
    return RequantForm::NarrowI32;
  if (highWordExact(*fixed, ranges, /*halfUp=*/true))
    return RequantForm::HighWordHalfUp;
  if (highWordExact(*fixed, ranges, /*halfUp=*/false))
    return RequantForm::HighWord;
  return RequantForm::I64;
}

FailureOr<RequantConstants> lowering::computeRequantConstants(
    ArrayRef<int32_t> correction, ArrayRef<double> scales,
    const AccumulatorRanges *ranges, RequantForm form) {
  std::optional<ChannelScales> fixed = channelScales(scales);
  if (!fixed)
    return failure();
  RequantConstants constants{form,
                             SmallVector<int32_t>(correction),
                             fixed->multiplier,
                             fixed->shift,
                             {}};
  constants.start.resize(scales.size());
  switch (form) {
  case RequantForm::NarrowI32:
  case RequantForm::NarrowI16: {
    std::optional<SmallVector<NarrowFixedPoint>> narrow =
        narrowForms(*fixed, ranges, form);
    if (!narrow)
      return failure();
    // The accumulators start at 0; the addend holds the start times m'.
    for (auto [c, nf] : llvm::enumerate(*narrow)) {
      constants.start[c] = 0;
      constants.multiplier[c] = nf.multiplier;
      constants.shift[c] = nf.shift;
      constants.round.push_back(nf.addend);
    }
    return constants;
  }
  case RequantForm::HighWord:
  case RequantForm::HighWordHalfUp:
    if (!highWordExact(*fixed, ranges, form == RequantForm::HighWordHalfUp))
      return failure();
    for (int32_t &s : constants.shift) {
      constants.round.push_back(int32_t(1) << (s - 33));
      s -= 32;
    }
    return constants;
  case RequantForm::I64:
    return constants;
  }
  llvm_unreachable("unknown requantization form");
}

ChannelConstants
lowering::createChannelConstants(ImplicitLocOpBuilder &b, int64_t channels,
                                 const RequantConstants &constants,
                                 Value bias) {
  RequantForm form = constants.form;
  bool narrow =
      form == RequantForm::NarrowI32 || form == RequantForm::NarrowI16;
  bool highWord =
      form == RequantForm::HighWord || form == RequantForm::HighWordHalfUp;
  // Padding channels compute 0: m = 0 (shift 33 in the i64 form, its
  // high-word shift 1 and rounding 1; narrow: shift 1, addend 0).
  auto padded = [&](ArrayRef<int32_t> values, int32_t pad) {
    SmallVector<int32_t> all(values);
    all.resize(channels, pad);
    return createI32Tensor(b, all);
  };
  ChannelConstants created{padded(constants.start, 0),
                           padded(constants.multiplier, 0),
                           padded(constants.shift, narrow || highWord ? 1 : 33),
                           Value(),
                           form == RequantForm::HighWordHalfUp,
                           narrow,
                           form == RequantForm::NarrowI16};
  if (narrow || highWord)
    created.round = padded(constants.round, highWord ? 1 : 0);
  if (bias && !narrow) {
    Type i32 = b.getI32Type();
    auto paddedType = RankedTensorType::get({channels}, i32);
    Value paddedBias = tensor::createPadHighOp(
        paddedType, bias, arith::ConstantIntOp::create(b, i32, 0),
        /*nofold=*/false, b.getLoc(), b);
    created.init = createElementwise(
        b, paddedType, tensor::EmptyOp::create(b, {channels}, i32),
        {paddedBias, created.init},
        {b.getMultiDimIdentityMap(1), b.getMultiDimIdentityMap(1)},
        [](ImplicitLocOpBuilder &ib, ValueRange args) -> Value {
          return arith::AddIOp::create(ib, args[0], args[1]);
        });
  }
  return created;
}

FailureOr<ChannelConstants> lowering::createChannelConstants(
    ImplicitLocOpBuilder &b, int64_t channels, ArrayRef<int32_t> correction,
    Value bias, ArrayRef<double> scales, const AccumulatorRanges *ranges) {
  FailureOr<RequantForm> form = chooseRequantForm(scales, ranges);
  if (failed(form))
    return failure(); // the reference lowering reports it
  FailureOr<RequantConstants> constants =
      computeRequantConstants(correction, scales, ranges, *form);
  if (failed(constants))
    return failure();
  return createChannelConstants(b, channels, *constants, bias);
}

RequantLanes lowering::readRequantLanes(ImplicitLocOpBuilder &b,
                                        const ChannelConstants &constants,
                                        VectorType lanes, Value channel) {
  RequantLanes read{readVector(b, lanes, constants.multiplier, {channel}),
                    readVector(b, lanes, constants.shift, {channel}), Value()};
  if (constants.round)
    read.round = readVector(b, lanes, constants.round, {channel});
  read.halfUp = constants.halfUp;
  read.narrow = constants.narrow;
  return read;
}

/// The i32 lanes (`i32s`) of the high words of the 64-bit products of the
/// even lanes (`even`) and of the odd ones (`odd`), each back in its lane.
static Value highWords(ImplicitLocOpBuilder &b, Value even, Value odd,
                       VectorType i32s) {
  auto splat = [&](int64_t v) {
    return createScalarOrSplatConstant(b, b.getLoc(), even.getType(), v);
  };
  Value high = arith::OrIOp::create(
      b, arith::ShRUIOp::create(b, even, splat(32)),
      arith::AndIOp::create(b, odd, splat(~int64_t(0xffffffff))));
  return vector::BitCastOp::create(b, i32s, high);
}

/// hi32(a * m) per u32 lane. With an even lane count, two 32 x 32 -> 64
/// multiplies of the i64 view (x86's pmuludq takes the low words: first of
/// the even lanes, then of the odd ones shifted down), whose high words are
/// put back in place; no lane is widened. Else through i64 lanes.
static Value mulHighUnsigned(ImplicitLocOpBuilder &b, Value a, Value m) {
  auto i32s = cast<VectorType>(a.getType());
  auto splat = [&](VectorType type, int64_t v) {
    return createScalarOrSplatConstant(b, b.getLoc(), type, v);
  };
  int64_t lanes = i32s.getNumElements();
  if (i32s.getRank() != 1 || lanes % 2) {
    auto i64s = i32s.clone(b.getI64Type());
    Value product = arith::MulIOp::create(b, arith::ExtUIOp::create(b, i64s, a),
                                          arith::ExtUIOp::create(b, i64s, m));
    return arith::TruncIOp::create(
        b, i32s, arith::ShRUIOp::create(b, product, splat(i64s, 32)));
  }
  auto pairs = VectorType::get({lanes / 2}, b.getI64Type());
  Value a64 = vector::BitCastOp::create(b, pairs, a);
  Value m64 = vector::BitCastOp::create(b, pairs, m);
  Value low = splat(pairs, 0xffffffff), c32 = splat(pairs, 32);
  Value even = arith::MulIOp::create(b, arith::AndIOp::create(b, a64, low),
                                     arith::AndIOp::create(b, m64, low));
  Value odd = arith::MulIOp::create(b, arith::ShRUIOp::create(b, a64, c32),
                                    arith::ShRUIOp::create(b, m64, c32));
  return highWords(b, even, odd, i32s);
}

/// hi32(p * m) per lane for a signed p and 0 <= m < 2^31: pmuldq (signed
/// low words) on the even and the odd lanes, as mulHighUnsigned does;
/// needs an even lane count.
static Value mulHighSigned(ImplicitLocOpBuilder &b, Value p, Value m) {
  auto i32s = cast<VectorType>(p.getType());
  auto pairs = VectorType::get({i32s.getNumElements() / 2}, b.getI64Type());
  auto splat = [&](int64_t v) {
    return createScalarOrSplatConstant(b, b.getLoc(), pairs, v);
  };
  // Both factors sign-extended from the low word of each i64 lane, which is
  // how LLVM knows to emit pmuldq (m's zero extension is the same value);
  // the odd lanes are first moved down by a shuffle (an arithmetic shift
  // right by 32 instead made the AVX2 backend emulate a 64-bit multiply).
  Value c32 = splat(32);
  SmallVector<int64_t> oddDown;
  for (int64_t i = 0; i < i32s.getNumElements(); ++i)
    oddDown.push_back(i | 1);
  auto lanes = [&](Value v, bool odd) {
    if (odd)
      v = vector::ShuffleOp::create(b, v, v, oddDown);
    Value v64 = vector::BitCastOp::create(b, pairs, v);
    return arith::ShRSIOp::create(b, arith::ShLIOp::create(b, v64, c32), c32);
  };
  Value even = arith::MulIOp::create(b, lanes(p, false), lanes(m, false));
  Value odd = arith::MulIOp::create(b, lanes(p, true), lanes(m, true));
  return highWords(b, even, odd, i32s);
}

/// round_half_away(acc * m / 2^s) for s >= 33, in i32 lanes:
/// sign(acc) * ((hi32(|acc| * m) + 2^(s-33)) >> (s - 32)). The rounding term
/// 2^(s-1) of the i64 form is a multiple of 2^32, so adding it after taking
/// the high word changes nothing; and ties away from zero are ties up on
/// the magnitude. |acc| <= 2^31 and m < 2^31 keep every step in range.
static Value applyFixedPointHighWord(ImplicitLocOpBuilder &b, Value acc,
                                     const RequantLanes &lanes) {
  auto i32s = cast<VectorType>(acc.getType());
  // Where no accumulator reaches a negative tie, rounding half up is
  // rounding half away: (hi32(acc * m) + 2^(s-33)) >> (s - 32) in signed
  // arithmetic (docs/numerics.md), no magnitude and no sign.
  if (lanes.halfUp && i32s.getRank() == 1 && i32s.getNumElements() % 2 == 0) {
    Value high = mulHighSigned(b, acc, lanes.multiplier);
    return arith::ShRSIOp::create(
        b, arith::AddIOp::create(b, high, lanes.round), lanes.shift);
  }
  Value zero = createScalarOrSplatConstant(b, b.getLoc(), i32s, 0);
  // |acc| wraps INT_MIN to 2^31 unsigned; the sign comes back as a select
  // (a masked subtract on AVX-512).
  Value negative =
      arith::CmpIOp::create(b, arith::CmpIPredicate::slt, acc, zero);
  Value magnitude = arith::SelectOp::create(
      b, negative, arith::SubIOp::create(b, zero, acc), acc);
  Value high = mulHighUnsigned(b, magnitude, lanes.multiplier);
  Value rounded = arith::ShRUIOp::create(
      b, arith::AddIOp::create(b, high, lanes.round), lanes.shift);
  return arith::SelectOp::create(
      b, negative, arith::SubIOp::create(b, zero, rounded), rounded);
}

Value lowering::requantizeVector(ImplicitLocOpBuilder &b, Value acc,
                                 const RequantLanes &lanes, int64_t outputZp,
                                 std::pair<int32_t, int32_t> clamp) {
  if (lanes.narrow) {
    // (acc * m' + c) >> t: every step stays in i32 over the channel's
    // accumulators (findNarrowFixedPoint), and c holds the zero point.
    Value product = lanes.premultiplied
                        ? acc
                        : arith::MulIOp::create(b, acc, lanes.multiplier);
    Value scaled = arith::ShRSIOp::create(
        b, arith::AddIOp::create(b, product, lanes.round), lanes.shift);
    return addZeroPointAndClamp(b, scaled, 0, clamp.first, clamp.second);
  }
  Value scaled;
  if (lanes.round) {
    scaled = applyFixedPointHighWord(b, acc, lanes);
  } else {
    auto type = cast<VectorType>(acc.getType()).clone(b.getI64Type());
    Value wide = arith::ExtSIOp::create(b, type, acc);
    scaled = applyFixedPoint(b, wide, lanes.multiplier, lanes.shift);
  }
  return addZeroPointAndClamp(b, scaled, outputZp, clamp.first, clamp.second);
}

Value lowering::storeBlocks(ImplicitLocOpBuilder &b, ArrayRef<Value> ys,
                            Value out, ArrayRef<SmallVector<Value>> pixels,
                            Value channel, int64_t lanes, int64_t cout,
                            bool mayBePartial) {
  auto writeAll = [&](OpBuilder &builder, Location loc, bool inBounds) {
    Value result = out;
    for (auto [y, pixel] : llvm::zip_equal(ys, pixels)) {
      SmallVector<Value> at(pixel);
      at.push_back(channel);
      // A last block of one channel is stored as a scalar: LLVM 22's x86
      // backend turns a one-lane masked store of a truncated vector into a
      // store of the whole wide lane (4 bytes for i32 -> i8), which would
      // clobber the next pixel's first channels.
      if (!inBounds && cout % lanes == 1) {
        Value lane0 =
            vector::ExtractOp::create(builder, loc, y, ArrayRef<int64_t>{0});
        result = tensor::InsertOp::create(builder, loc, lane0, result, at);
        continue;
      }
      result = vector::TransferWriteOp::create(builder, loc, y, result, at,
                                               ArrayRef<bool>{inBounds})
                   .getResult();
    }
    return result;
  };
  if (!mayBePartial || cout % lanes == 0)
    return writeAll(b, b.getLoc(), true);
  // Only the last block is partial: a branch, so that every other block
  // keeps plain vector stores (AVX2 has no masked byte store).
  Value end = addIndex(b, channel, lanes);
  Value full = arith::CmpIOp::create(b, arith::CmpIPredicate::sle, end,
                                     indexConstant(b, cout));
  return scf::IfOp::create(
             b, full,
             [&](OpBuilder &t, Location loc) {
               scf::YieldOp::create(t, loc, writeAll(t, loc, true));
             },
             [&](OpBuilder &e, Location loc) {
               scf::YieldOp::create(e, loc, writeAll(e, loc, false));
             })
      .getResult(0);
}

static Value flattenPixels(ImplicitLocOpBuilder &b, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = type.getShape();
  return tensor::CollapseShapeOp::create(
      b,
      RankedTensorType::get({shape[0] * shape[1] * shape[2], shape[3]},
                            type.getElementType()),
      x, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// im2col (see windowRows).
static Value im2col(ImplicitLocOpBuilder &b, Value input, ArrayRef<int64_t> pad,
                    TypedAttr padValue, ArrayRef<int64_t> stride,
                    ArrayRef<int64_t> dilation, int64_t kh, int64_t kw,
                    ArrayRef<int64_t> out) {
  Type element = cast<RankedTensorType>(input.getType()).getElementType();
  int64_t ci = cast<RankedTensorType>(input.getType()).getDimSize(3);
  Value x = padFeatureMap(b, b.getLoc(), input, pad, padValue);
  // Iteration space (n, oh, ow, kh, kw, ci).
  MLIRContext *ctx = b.getContext();
  AffineExpr n, oh, ow, i, j, c;
  bindDims(ctx, n, oh, ow, i, j, c);
  auto read = AffineMap::get(6, 0,
                             {n, oh * stride[0] + i * dilation[0],
                              ow * stride[1] + j * dilation[1], c},
                             ctx);
  SmallVector<int64_t> shape = {out[0], out[1], out[2], kh, kw, ci};
  auto type = RankedTensorType::get(shape, element);
  Value windows = createElementwise(
      b, type, tensor::EmptyOp::create(b, shape, element), {x}, {read},
      [](ImplicitLocOpBuilder &, ValueRange args) { return args[0]; });
  return tensor::CollapseShapeOp::create(
      b,
      RankedTensorType::get({out[0] * out[1] * out[2], kh * kw * ci}, element),
      windows, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

Value lowering::windowRows(ImplicitLocOpBuilder &b, Value input,
                           ArrayRef<int64_t> pad, TypedAttr padValue,
                           ArrayRef<int64_t> stride, ArrayRef<int64_t> dilation,
                           int64_t kh, int64_t kw, ArrayRef<int64_t> out) {
  if (kh == 1 && kw == 1 && llvm::all_of(pad, [](int64_t p) { return p == 0; }))
    return flattenPixels(b, keepStridedPixels(b, input, out, stride));
  return im2col(b, input, pad, padValue, stride, dilation, kh, kw, out);
}

Value lowering::emitPixelBlockTiles(
    ImplicitLocOpBuilder &b, RankedTensorType outType, int64_t blocks,
    int64_t np, int64_t nb,
    function_ref<Value(ImplicitLocOpBuilder &, Value, Value, Value)> tile) {
  ArrayRef<int64_t> shape = outType.getShape();
  int64_t pixels = shape[0] * shape[1] * shape[2];
  Value result =
      tensor::EmptyOp::create(b, {pixels, shape[3]}, outType.getElementType());
  result = emitTileLoop(
      b, blocks, nb, result,
      [&](ImplicitLocOpBuilder &cb, Value b0, Value columnOut) {
        return emitTileLoop(cb, pixels, np, columnOut,
                            [&](ImplicitLocOpBuilder &tb, Value p0, Value out) {
                              return tile(tb, out, p0, b0);
                            });
      });
  return tensor::ExpandShapeOp::create(
      b, outType, result, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

Value lowering::emitDepthwiseLoops(ImplicitLocOpBuilder &b, Value x,
                                   Value result, const DepthwiseWindow &window,
                                   const DepthwiseKernel &kernel) {
  ArrayRef<int64_t> in = window.in, out = window.out, pad = window.pad;
  ArrayRef<int64_t> stride = window.stride, dilation = window.dilation;
  int64_t kh = window.kh, kw = window.kw, channels = in[3];

  // The output rows (columns) [lo, hi) whose taps all fall inside the input.
  auto inside = [&](int64_t dim) -> std::pair<int64_t, int64_t> {
    int64_t before = pad[2 * dim], size = in[1 + dim], outs = out[1 + dim];
    int64_t span = (dim ? kw - 1 : kh - 1) * dilation[dim];
    int64_t lo = std::min<int64_t>(outs, llvm::divideCeil(before, stride[dim]));
    int64_t last = size - 1 - span + before;
    int64_t hi = last < 0 ? lo : std::clamp(last / stride[dim] + 1, lo, outs);
    return {lo, hi};
  };
  auto [rowLo, rowHi] = inside(0);
  auto [colLo, colHi] = inside(1);

  // One tile: `width` pixels of row (n, oh) from column ow0, channels
  // [c0, c0 + lanes); `checked` reads test their position.
  auto emitTile = [&](ImplicitLocOpBuilder &tb, Value n, Value oh, Value c0,
                      Value ow0, Value into, int64_t width,
                      bool checked) -> Value {
    SmallVector<Value> acc(width, kernel.init(tb, c0));
    Value row0 = addIndex(
        tb, arith::MulIOp::create(tb, oh, indexConstant(tb, stride[0])),
        -pad[0]);
    Value col0 = addIndex(
        tb, arith::MulIOp::create(tb, ow0, indexConstant(tb, stride[1])),
        -pad[2]);
    auto within = [&](Value v, int64_t size) {
      return arith::AndIOp::create(
          tb,
          arith::CmpIOp::create(tb, arith::CmpIPredicate::sge, v,
                                indexConstant(tb, 0)),
          arith::CmpIOp::create(tb, arith::CmpIPredicate::slt, v,
                                indexConstant(tb, size)));
    };
    // Tap t of pixel p: a read, or the padding where it falls outside.
    auto read = [&](int64_t t, int64_t p) -> Value {
      int64_t i = t / kw, j = t % kw;
      Value row = addIndex(tb, row0, i * dilation[0]);
      Value col = addIndex(tb, col0, p * stride[1] + j * dilation[1]);
      if (!checked)
        return readVector(tb, kernel.input, x, {n, row, col, c0});
      Value inside =
          arith::AndIOp::create(tb, within(row, in[1]), within(col, in[2]));
      return scf::IfOp::create(
                 tb, inside,
                 [&](OpBuilder &nested, Location loc) {
                   ImplicitLocOpBuilder rb(loc, nested);
                   scf::YieldOp::create(
                       rb, readVector(rb, kernel.input, x, {n, row, col, c0}));
                 },
                 [&](OpBuilder &nested, Location loc) {
                   scf::YieldOp::create(nested, loc, kernel.padding);
                 })
          .getResult(0);
    };
    SmallVector<SmallVector<int64_t, 2>> singles;
    ArrayRef<SmallVector<int64_t, 2>> groups = kernel.groups;
    if (groups.empty()) {
      for (int64_t t = 0; t < kh * kw; ++t)
        singles.push_back({t});
      groups = singles;
    }
    for (auto [g, group] : llvm::enumerate(groups)) {
      Value w = kernel.weight(tb, g, c0);
      for (int64_t p = 0; p < width; ++p) {
        SmallVector<Value, 2> xs;
        for (int64_t t : group)
          xs.push_back(read(t, p));
        acc[p] = kernel.step(tb, acc[p], xs, w);
      }
    }
    for (int64_t p = 0; p < width; ++p) {
      SmallVector<Value> at = {n, oh, addIndex(tb, ow0, p), c0};
      into = vector::TransferWriteOp::create(tb, kernel.finish(tb, acc[p], at),
                                             into, at, ArrayRef<bool>{true})
                 .getResult();
    }
    return into;
  };

  // Tiles of up to tileWidth columns over [lo, hi) of row oh.
  auto emitColumns = [&](ImplicitLocOpBuilder &cb, Value n, Value oh, Value c0,
                         Value into, int64_t lo, int64_t hi,
                         bool checked) -> Value {
    if (hi <= lo)
      return into;
    int64_t width = std::min(kernel.tileWidth, hi - lo);
    return emitTileLoop(cb, hi - lo, width, into,
                        [&](ImplicitLocOpBuilder &tb, Value t0, Value r) {
                          return emitTile(tb, n, oh, c0, addIndex(tb, t0, lo),
                                          r, width, checked);
                        });
  };
  auto emitRows = [&](ImplicitLocOpBuilder &rb, Value n, Value into, int64_t lo,
                      int64_t hi, bool interior) -> Value {
    if (hi <= lo)
      return into;
    return emitLoop(
        rb, hi - lo, into, [&](ImplicitLocOpBuilder &hb, Value r, Value r1) {
          Value oh = addIndex(hb, r, lo);
          return emitTileLoop(
              hb, channels, kernel.lanes, r1,
              [&](ImplicitLocOpBuilder &cb, Value c0, Value r2) {
                if (!interior)
                  return emitColumns(cb, n, oh, c0, r2, 0, out[2], true);
                r2 = emitColumns(cb, n, oh, c0, r2, 0, colLo, true);
                r2 = emitColumns(cb, n, oh, c0, r2, colLo, colHi, false);
                return emitColumns(cb, n, oh, c0, r2, colHi, out[2], true);
              });
        });
  };

  return emitLoop(b, out[0], result,
                  [&](ImplicitLocOpBuilder &nb, Value n, Value r0) {
                    r0 = emitRows(nb, n, r0, 0, rowLo, false);
                    r0 = emitRows(nb, n, r0, rowLo, rowHi, true);
                    return emitRows(nb, n, r0, rowHi, out[1], false);
                  });
}
