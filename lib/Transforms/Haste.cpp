//===- Haste.cpp - the prom-haste pass ------------------------------------===//
//
// Rewrites a float tosa.conv2d into HASTE form: per output patch, hash the
// input tile's channels, merge them, convolve the merged channels. The
// merged channel count is a dynamic dimension of the IR (docs/haste.md).
//
//===----------------------------------------------------------------------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/LayerInfo.h"
#include "Prom/Utils/Haste.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Regex.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMHASTE
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

/// What the rewrite of one conv needs to know.
struct ConvGeometry {
  ArrayRef<int64_t> input, weights, output; // NHWC, OHWI, NHWC
  ArrayRef<int64_t> pad, stride, dilation;  // [t, b, l, r], [h, w], [h, w]
  int64_t patchH, patchW;                   // output patch
  /// Input rows (or columns) an output patch of `out` rows reads.
  int64_t tileExtent(int64_t out, int64_t dim) const {
    return (out - 1) * stride[dim] + (weights[1 + dim] - 1) * dilation[dim] + 1;
  }
};

Value index(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

/// `bias` ([O] or [1]) broadcast over a [1, h, w, O] tile of `type`
/// (`sizes`: its dynamic h and w): the conv's init.
Value broadcastBias(ImplicitLocOpBuilder &b, Value bias, RankedTensorType type,
                    ValueRange sizes) {
  Value empty = tensor::EmptyOp::create(b, type, sizes);
  MLIRContext *ctx = b.getContext();
  bool perChannel = cast<RankedTensorType>(bias.getType()).getDimSize(0) != 1;
  AffineMap biasMap = AffineMap::get(
      4, 0,
      perChannel ? getAffineDimExpr(3, ctx) : getAffineConstantExpr(0, ctx));
  return linalg::GenericOp::create(
             b, type, ValueRange{bias}, ValueRange{empty},
             ArrayRef<AffineMap>{biasMap, b.getMultiDimIdentityMap(4)},
             SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
             [](OpBuilder &nested, Location loc, ValueRange args) {
               linalg::YieldOp::create(nested, loc, args[0]);
             })
      .getResult(0);
}

/// Hash `tile`'s channels, merge tile and weights, convolve: an output tile
/// of `outType` (`outSizes`: its dynamic sizes).
Value mergedConv(ImplicitLocOpBuilder &b, const ConvGeometry &g, Value tile,
                 Value planes, Value weights, Value bias,
                 RankedTensorType outType, ValueRange outSizes) {
  auto bucketsType = RankedTensorType::get({g.input[3]}, b.getIndexType());
  auto hash =
      HasteBucketsOp::create(b, bucketsType, b.getIndexType(), tile, planes);
  auto merged = [&](Value v, bool average) {
    SmallVector<int64_t> shape(cast<RankedTensorType>(v.getType()).getShape());
    shape.back() = ShapedType::kDynamic;
    return MergeChannelsOp::create(
               b, RankedTensorType::get(shape, b.getF32Type()), v,
               hash.getBuckets(), hash.getCount(), average)
        .getResult();
  };
  Value x = merged(tile, /*average=*/true);
  Value w = merged(weights, /*average=*/false);
  Value init = broadcastBias(b, bias, outType, outSizes);
  return linalg::Conv2DNhwcFhwcOp::create(
             b, TypeRange{outType}, ValueRange{x, w}, ValueRange{init},
             b.getI64TensorAttr(g.stride), b.getI64TensorAttr(g.dilation))
      .getResult(0);
}

/// The HASTE form of `conv`, with `planes` a [L, P] constant.
Value rewriteConv(ImplicitLocOpBuilder &b, tosa::Conv2DOp conv,
                  const ConvGeometry &g, Value planes) {
  Value input = conv.getInput();
  if (llvm::any_of(g.pad, [](int64_t p) { return p != 0; })) {
    auto type =
        RankedTensorType::get({1, g.input[1] + g.pad[0] + g.pad[1],
                               g.input[2] + g.pad[2] + g.pad[3], g.input[3]},
                              b.getF32Type());
    SmallVector<OpFoldResult> low = {
        b.getIndexAttr(0), b.getIndexAttr(g.pad[0]), b.getIndexAttr(g.pad[2]),
        b.getIndexAttr(0)};
    SmallVector<OpFoldResult> high = {
        b.getIndexAttr(0), b.getIndexAttr(g.pad[1]), b.getIndexAttr(g.pad[3]),
        b.getIndexAttr(0)};
    Value zero =
        arith::ConstantFloatOp::create(b, b.getF32Type(), APFloat(0.0f));
    input = tensor::PadOp::create(b, type, input, low, high, zero);
  }
  Value weights = conv.getWeight(), bias = conv.getBias();
  auto outType = cast<RankedTensorType>(conv.getType());
  int64_t outH = g.output[1], outW = g.output[2];
  if (g.patchH == outH && g.patchW == outW) // the whole map: one patch
    return mergedConv(b, g, input, planes, weights, bias, outType, {});

  // One patch per step of an scf.for nest over the output; border patches
  // are smaller.
  Value result = tensor::EmptyOp::create(b, outType, ValueRange{});
  auto rows = scf::ForOp::create(b, index(b, 0), index(b, outH),
                                 index(b, g.patchH), ValueRange{result});
  b.setInsertionPointToStart(rows.getBody());
  Value oh0 = rows.getInductionVar();
  auto cols =
      scf::ForOp::create(b, index(b, 0), index(b, outW), index(b, g.patchW),
                         ValueRange{rows.getRegionIterArgs()[0]});
  b.setInsertionPointToStart(cols.getBody());
  Value ow0 = cols.getInductionVar();
  Value oh = arith::MinSIOp::create(
      b, index(b, g.patchH), arith::SubIOp::create(b, index(b, outH), oh0));
  Value ow = arith::MinSIOp::create(
      b, index(b, g.patchW), arith::SubIOp::create(b, index(b, outW), ow0));
  auto extent = [&](Value out, int64_t dim) -> Value {
    // (out - 1) * stride + (k - 1) * dilation + 1
    Value last = arith::SubIOp::create(b, out, index(b, 1));
    Value scaled = arith::MulIOp::create(b, last, index(b, g.stride[dim]));
    return arith::AddIOp::create(
        b, scaled, index(b, (g.weights[1 + dim] - 1) * g.dilation[dim] + 1));
  };
  SmallVector<OpFoldResult> tileOffsets = {
      b.getIndexAttr(0),
      arith::MulIOp::create(b, oh0, index(b, g.stride[0])).getResult(),
      arith::MulIOp::create(b, ow0, index(b, g.stride[1])).getResult(),
      b.getIndexAttr(0)};
  SmallVector<OpFoldResult> tileSizes = {b.getIndexAttr(1), extent(oh, 0),
                                         extent(ow, 1),
                                         b.getIndexAttr(g.input[3])};
  SmallVector<OpFoldResult> unit(4, b.getIndexAttr(1));
  auto tileType = RankedTensorType::get(
      {1, ShapedType::kDynamic, ShapedType::kDynamic, g.input[3]},
      b.getF32Type());
  Value tile = tensor::ExtractSliceOp::create(b, tileType, input, tileOffsets,
                                              tileSizes, unit);
  auto outTileType = RankedTensorType::get(
      {1, ShapedType::kDynamic, ShapedType::kDynamic, g.weights[0]},
      b.getF32Type());
  Value y = mergedConv(b, g, tile, planes, weights, bias, outTileType,
                       ValueRange{oh, ow});
  SmallVector<OpFoldResult> outOffsets = {b.getIndexAttr(0), oh0, ow0,
                                          b.getIndexAttr(0)};
  SmallVector<OpFoldResult> outSizes = {b.getIndexAttr(1), oh, ow,
                                        b.getIndexAttr(g.weights[0])};
  Value updated = tensor::InsertSliceOp::create(
      b, y, cols.getRegionIterArgs()[0], outOffsets, outSizes, unit);
  scf::YieldOp::create(b, updated);
  b.setInsertionPointAfter(cols);
  scf::YieldOp::create(b, cols.getResult(0));
  b.setInsertionPointAfter(rows);
  return rows.getResult(0);
}

struct HastePass : prom::impl::PromHasteBase<HastePass> {
  using Base::Base;

  void runOnOperation() override {
    Operation *root = getOperation();
    if (hyperplanes < 1 || hyperplanes > haste::kMaxHyperplanes) {
      emitError(root->getLoc())
          << "prom-haste: hyperplanes=" << int64_t(hyperplanes)
          << " is out of range [1, " << haste::kMaxHyperplanes << "]";
      return signalPassFailure();
    }
    if (!(density > 0.0 && density <= 1.0)) {
      std::string text;
      llvm::raw_string_ostream(text) << llvm::format("%g", double(density));
      emitError(root->getLoc())
          << "prom-haste: density=" << text << " is out of range (0, 1]";
      return signalPassFailure();
    }
    if (!patch.empty() && (patch.size() != 2 || patch[0] < 1 || patch[1] < 1)) {
      emitError(root->getLoc())
          << "prom-haste: patch expects two positive sizes H,W";
      return signalPassFailure();
    }
    llvm::Regex regex("^(" + layers + ")$");
    std::string regexError;
    if (!regex.isValid(regexError)) {
      emitError(root->getLoc()) << "prom-haste: layers='" << layers
                                << "' is not a valid regex: " << regexError;
      return signalPassFailure();
    }
    auto named = [&](Operation *op) {
      return layers.empty() || regex.match(getLayerName(op));
    };

    root->walk([&](tosa::DepthwiseConv2DOp op) {
      if (!layers.empty() && named(op))
        op.emitRemark() << "prom-haste: depthwise convolution '"
                        << getLayerName(op)
                        << "' is not a HASTE candidate (no sum over input "
                           "channels to shorten); left as it is";
    });

    SmallVector<tosa::Conv2DOp> convs;
    root->walk([&](tosa::Conv2DOp op) { convs.push_back(op); });
    uint64_t layerIndex = 0;
    for (tosa::Conv2DOp conv : convs) {
      uint64_t layerSeed = haste::layerSeed(seed, layerIndex++);
      if (!named(conv))
        continue;
      auto in = cast<RankedTensorType>(conv.getInput().getType());
      auto w = cast<RankedTensorType>(conv.getWeight().getType());
      auto out = cast<RankedTensorType>(conv.getType());
      bool pointwise =
          w.hasStaticShape() && w.getDimSize(1) == 1 && w.getDimSize(2) == 1;
      if ((kinds == HasteLayerKinds::Pointwise && !pointwise) ||
          (kinds == HasteLayerKinds::Spatial && pointwise))
        continue;
      if (!in.hasStaticShape() || !w.hasStaticShape() ||
          !out.hasStaticShape() || !in.getElementType().isF32() ||
          !w.getElementType().isF32() || in.getDimSize(0) != 1) {
        conv.emitRemark() << "prom-haste: '" << getLayerName(conv)
                          << "' left as it is: HASTE needs one f32 image "
                             "and f32 weights of static shape";
        continue;
      }
      ConvGeometry g{in.getShape(),     w.getShape(),     out.getShape(),
                     conv.getPad(),     conv.getStride(), conv.getDilation(),
                     out.getDimSize(1), out.getDimSize(2)};
      if (!patch.empty()) {
        if (patch[0] > g.output[1] || patch[1] > g.output[2]) {
          conv.emitError() << "prom-haste: patch " << patch[0] << "x"
                           << patch[1] << " is larger than the output map "
                           << g.output[1] << "x" << g.output[2] << " of '"
                           << getLayerName(conv) << "'";
          return signalPassFailure();
        }
        g.patchH = patch[0];
        g.patchW = patch[1];
      }
      int64_t length = g.tileExtent(g.patchH, 0) * g.tileExtent(g.patchW, 1);
      ImplicitLocOpBuilder b(conv.getLoc(), conv);
      std::vector<int8_t> planes =
          haste::generateHyperplanes(layerSeed, hyperplanes, length, density);
      auto planesType =
          RankedTensorType::get({hyperplanes, length}, b.getI8Type());
      Value planesValue = arith::ConstantOp::create(
          b, DenseElementsAttr::get(planesType, ArrayRef<int8_t>(planes)));
      Value result = rewriteConv(b, conv, g, planesValue);
      conv.replaceAllUsesWith(result);
      conv.erase();
    }
  }
};

} // namespace
