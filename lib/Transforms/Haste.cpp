//===- Haste.cpp - the prom-haste pass ------------------------------------===//
//
// Rewrites a float tosa.conv2d into HASTE form: per output patch, hash the
// input tile's channels, merge them, convolve the merged channels. The
// merged channel count is a dynamic dimension of the IR (docs/haste.md).
//
//===----------------------------------------------------------------------===//

#include "Prom/Transforms/Passes.h"

#include "HasteOperands.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/LayerInfo.h"
#include "Prom/Transforms/Padding.h"
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
  /// With count-channels: prom_haste_channels and this layer's row in it.
  MemRefType counters = {};
  int64_t counterRow = 0;
  /// Multiply-accumulates of the conv before merging.
  int64_t macs() const {
    return output[1] * output[2] * weights[0] * weights[1] * weights[2] *
           weights[3];
  }
  /// Input rows (or columns) an output patch of `out` rows reads.
  int64_t tileExtent(int64_t out, int64_t dim) const {
    return (out - 1) * stride[dim] + (weights[1 + dim] - 1) * dilation[dim] + 1;
  }
};

/// The run-time counters of count-channels, and the module attribute that
/// names their rows.
constexpr StringLiteral kCountersName = "prom_haste_channels";
constexpr StringLiteral kLayersAttrName = "prom.haste_layers";

Value index(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

/// `bias` ([O] or [1], or none: zeros) broadcast over a [1, h, w, O] tile
/// of `type` (`sizes`: its dynamic h and w): the conv's accumulator init.
Value broadcastBias(ImplicitLocOpBuilder &b, Value bias, RankedTensorType type,
                    ValueRange sizes) {
  Value empty = tensor::EmptyOp::create(b, type, sizes);
  if (!bias)
    return linalg::FillOp::create(b,
                                  arith::ConstantOp::create(
                                      b, b.getZeroAttr(type.getElementType()))
                                      .getResult(),
                                  empty)
        .getResult(0);
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

/// Hashes `tile`'s channels (and counts them with count-channels).
HasteBucketsOp hashChannels(ImplicitLocOpBuilder &b, const ConvGeometry &g,
                            Value tile, Value planes) {
  auto bucketsType = RankedTensorType::get({g.input[3]}, b.getIndexType());
  auto hash =
      HasteBucketsOp::create(b, bucketsType, b.getIndexType(), tile, planes);
  if (g.counters) {
    // prom_haste_channels[row] += [merged channels, 1 patch]
    Value counters = memref::GetGlobalOp::create(b, g.counters, kCountersName);
    auto add = [&](Value v, int64_t column) {
      memref::AtomicRMWOp::create(
          b, arith::AtomicRMWKind::addi, v, counters,
          ValueRange{index(b, g.counterRow), index(b, column)});
    };
    add(arith::IndexCastOp::create(b, b.getI64Type(), hash.getCount()), 0);
    add(arith::ConstantIntOp::create(b, b.getI64Type(), 1), 1);
  }
  return hash;
}

/// Merges tile and weights by `hash`, convolves, finishes: an output tile
/// of `outType`'s element type (`outSizes`: its dynamic sizes).
Value mergedConv(ImplicitLocOpBuilder &b, const ConvGeometry &g,
                 const haste::ConvOperands &ops, Value tile,
                 HasteBucketsOp hash, RankedTensorType accType,
                 ValueRange outSizes) {
  // The input's channels (NHWC, dimension 3) averaged; the weights' (HWCF,
  // dimension 2) summed, widened to the type the conv multiplies.
  auto merged = [&](Value v, int64_t dimension, bool average, Type element) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[dimension] = ShapedType::kDynamic;
    return MergeChannelsOp::create(
               b, RankedTensorType::get(shape, element), v, hash.getBuckets(),
               hash.getCount(), average,
               dimension == 3 ? IntegerAttr() : b.getI64IntegerAttr(dimension))
        .getResult();
  };
  Value x = merged(tile, 3, /*average=*/true, ops.element);
  Value w = merged(ops.weights, 2, /*average=*/false,
                   ops.narrow ? ops.narrow : ops.element);
  if (ops.centerMerged)
    x = ops.centerMerged(b, x);
  Value init = broadcastBias(b, ops.bias, accType, outSizes);
  Value acc = linalg::Conv2DNhwcHwcfOp::create(
                  b, TypeRange{accType}, ValueRange{x, w}, ValueRange{init},
                  b.getI64TensorAttr(g.stride), b.getI64TensorAttr(g.dilation))
                  .getResult(0);
  return ops.finish ? ops.finish(b, acc) : acc;
}

/// The HASTE form of `conv`, with `planes` a [L, P] constant.
Value rewriteConv(ImplicitLocOpBuilder &b, Operation *conv,
                  const ConvGeometry &g, const haste::ConvOperands &ops,
                  Value planes) {
  // The conv's own padding value: 0.0, or the integer input's zero point.
  Value input = padFeatureMap(b, b.getLoc(), ops.input, g.pad, ops.padding);
  Type inElement = ops.padding.getType();
  RankedTensorType outType = ops.outType;
  int64_t outH = g.output[1], outW = g.output[2];
  if (g.patchH == outH && g.patchW == outW) { // the whole map: one patch
    // Only the rows and columns the conv reads are hashed (a stride that
    // does not divide the padded extent leaves some unread).
    int64_t th = g.tileExtent(outH, 0), tw = g.tileExtent(outW, 1);
    auto inType = cast<RankedTensorType>(input.getType());
    if (inType.getDimSize(1) != th || inType.getDimSize(2) != tw) {
      SmallVector<OpFoldResult> zeros(4, b.getIndexAttr(0));
      SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
      SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(th),
                                         b.getIndexAttr(tw),
                                         b.getIndexAttr(g.input[3])};
      input = tensor::ExtractSliceOp::create(
          b, RankedTensorType::get({1, th, tw, g.input[3]}, inElement), input,
          zeros, sizes, ones);
    }
    // When no two channels share a bucket, HASTE's conv is the original
    // one (merging singletons changes nothing): run that, with its weights
    // packed at compile time, instead of copying the map and the weights.
    HasteBucketsOp hash = hashChannels(b, g, input, planes);
    Value allKept = arith::CmpIOp::create(
        b, arith::CmpIPredicate::eq, hash.getCount(), index(b, g.input[3]));
    auto branch = scf::IfOp::create(
        b, allKept,
        [&](OpBuilder &nested, Location loc) {
          scf::YieldOp::create(nested, loc, nested.clone(*conv)->getResult(0));
        },
        [&](OpBuilder &nested, Location loc) {
          ImplicitLocOpBuilder nb(loc, nested);
          scf::YieldOp::create(
              nb,
              mergedConv(nb, g, ops, input, hash,
                         RankedTensorType::get(outType.getShape(), ops.element),
                         {}));
        });
    return branch.getResult(0);
  }

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
      {1, ShapedType::kDynamic, ShapedType::kDynamic, g.input[3]}, inElement);
  Value tile = tensor::ExtractSliceOp::create(b, tileType, input, tileOffsets,
                                              tileSizes, unit);
  auto accType = RankedTensorType::get(
      {1, ShapedType::kDynamic, ShapedType::kDynamic, g.weights[0]},
      ops.element);
  Value y = mergedConv(b, g, ops, tile, hashChannels(b, g, tile, planes),
                       accType, ValueRange{oh, ow});
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

/// A conv chosen for the rewrite.
struct Candidate {
  Operation *conv;
  ConvGeometry g;
  uint64_t seed;
};

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

    // Depthwise convolutions (TOSA, or prom.conv2d with groups) are never
    // candidates; say so when `layers` names one.
    root->walk([&](Operation *op) {
      auto conv = dyn_cast<Conv2DOp>(op);
      bool depthwise =
          isa<tosa::DepthwiseConv2DOp>(op) || (conv && conv.getGroups() != 1);
      if (depthwise && !layers.empty() && named(op))
        op->emitRemark() << "prom-haste: depthwise convolution '"
                         << getLayerName(op)
                         << "' is not a HASTE candidate (no sum over input "
                            "channels to shorten); left as it is";
    });

    SmallVector<Candidate> chosen;
    uint64_t layerIndex = 0;
    static constexpr int64_t kNoPad[] = {0, 0, 0, 0}, kUnit[] = {1, 1};
    WalkResult walk = root->walk([&](Operation *op) {
      ArrayRef<int64_t> pad, stride, dilation;
      if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
        pad = conv.getPad(), stride = conv.getStride();
        dilation = conv.getDilation();
      } else if (auto conv = dyn_cast<Conv2DOp>(op);
                 conv && conv.getGroups() == 1) {
        pad = conv.getPad(), stride = conv.getStride();
        dilation = conv.getDilation();
      } else if (auto conv = dyn_cast<TernaryConv2DOp>(op)) {
        pad = kNoPad, stride = conv.getStride(), dilation = kUnit;
      } else {
        return WalkResult::advance();
      }
      uint64_t layerSeed = haste::layerSeed(seed, layerIndex++);
      if (!named(op))
        return WalkResult::advance();
      auto in = cast<RankedTensorType>(op->getOperand(0).getType());
      auto w = cast<RankedTensorType>(op->getOperand(1).getType());
      auto out = cast<RankedTensorType>(op->getResult(0).getType());
      bool pointwise =
          w.hasStaticShape() && w.getDimSize(1) == 1 && w.getDimSize(2) == 1;
      if ((kinds == HasteLayerKinds::Pointwise && !pointwise) ||
          (kinds == HasteLayerKinds::Spatial && pointwise))
        return WalkResult::advance();
      bool isFloat = isa<tosa::Conv2DOp>(op);
      if (!in.hasStaticShape() || !w.hasStaticShape() ||
          !out.hasStaticShape() || in.getDimSize(0) != 1 ||
          (isFloat &&
           (!in.getElementType().isF32() || !w.getElementType().isF32()))) {
        op->emitRemark() << "prom-haste: '" << getLayerName(op)
                         << "' left as it is: HASTE needs one image and "
                            "f32 or prom int8 operands of static shape";
        return WalkResult::advance();
      }
      ConvGeometry g{
          in.getShape(), w.getShape(), out.getShape(),    pad,
          stride,        dilation,     out.getDimSize(1), out.getDimSize(2)};
      if (!patch.empty()) {
        if (patch[0] > g.output[1] || patch[1] > g.output[2]) {
          op->emitError() << "prom-haste: patch " << patch[0] << "x" << patch[1]
                          << " is larger than the output map " << g.output[1]
                          << "x" << g.output[2] << " of '" << getLayerName(op)
                          << "'";
          return WalkResult::interrupt();
        }
        g.patchH = patch[0];
        g.patchW = patch[1];
      }
      chosen.push_back({op, g, layerSeed});
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    MemRefType counters;
    if (countChannels && !chosen.empty()) {
      auto module = dyn_cast<ModuleOp>(root);
      if (!module) {
        emitError(root->getLoc())
            << "prom-haste: count-channels adds a module global; run the "
               "pass on the module";
        return signalPassFailure();
      }
      OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
      counters = MemRefType::get({int64_t(chosen.size()), 2}, b.getI64Type());
      auto zeros = DenseElementsAttr::get(
          RankedTensorType::get(counters.getShape(), b.getI64Type()),
          b.getI64IntegerAttr(0));
      memref::GlobalOp::create(b, module.getLoc(), kCountersName,
                               /*sym_visibility=*/nullptr, counters, zeros,
                               /*constant=*/false, /*alignment=*/nullptr);
      SmallVector<Attribute> rows;
      for (const Candidate &c : chosen)
        rows.push_back(b.getDictionaryAttr(
            {b.getNamedAttr("name", b.getStringAttr(getLayerName(c.conv))),
             b.getNamedAttr("channels", b.getI64IntegerAttr(c.g.input[3])),
             b.getNamedAttr("macs", b.getI64IntegerAttr(c.g.macs()))}));
      module->setAttr(kLayersAttrName, b.getArrayAttr(rows));
    }

    for (auto [row, c] : llvm::enumerate(chosen)) {
      c.g.counters = counters;
      c.g.counterRow = row;
      int64_t length =
          c.g.tileExtent(c.g.patchH, 0) * c.g.tileExtent(c.g.patchW, 1);
      ImplicitLocOpBuilder b(c.conv->getLoc(), c.conv);
      std::vector<int8_t> planes =
          haste::generateHyperplanes(c.seed, hyperplanes, length, density);
      auto planesType =
          RankedTensorType::get({hyperplanes, length}, b.getI8Type());
      Value planesValue = arith::ConstantOp::create(
          b, DenseElementsAttr::get(planesType, ArrayRef<int8_t>(planes)));
      Value result = rewriteConv(b, c.conv, c.g, haste::operandsOf(b, c.conv),
                                 planesValue);
      c.conv->getResult(0).replaceAllUsesWith(result);
      c.conv->erase();
    }
  }
};

} // namespace
