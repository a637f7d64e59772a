//===- TilingInterfaceImpl.cpp - TilingInterface for prom convolutions ----===//
//
// A convolution's iteration domain is its output, [N, OH, OW, C], all
// parallel: the reduction stays whole because requantization needs the full
// sum. A tile over batch, rows and columns reads the input window it needs,
// clipped to the input; what the clip cuts off is the op's own padding, which
// the tiled op gets back as its `pad` attribute when it is known at compile
// time and from a tensor.pad with the input zero point otherwise. Channels
// are not tiled: the per-channel scales are attributes.
//
//===----------------------------------------------------------------------===//

#include "Prom/Dialect/Prom/Transforms/TilingInterfaceImpl.h"

#include "Prom/Dialect/Prom/IR/PromDialect.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;
using namespace mlir::prom;

namespace {

/// The window arithmetic of one convolution, whatever its op.
struct ConvWindow {
  int64_t stride[2], pad[4], dilation[2], kernel[2];
  int64_t inputZp;

  static ConvWindow of(Operation *op) {
    ConvWindow w{};
    auto weights = cast<RankedTensorType>(op->getOperand(1).getType());
    w.kernel[0] = weights.getDimSize(1);
    w.kernel[1] = weights.getDimSize(2);
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      llvm::copy(conv.getStride(), w.stride);
      llvm::copy(conv.getPad(), w.pad);
      llvm::copy(conv.getDilation(), w.dilation);
      w.inputZp = conv.getInputZp();
      return w;
    }
    auto ternary = cast<TernaryConv2DOp>(op);
    llvm::copy(ternary.getStride(), w.stride);
    w.dilation[0] = w.dilation[1] = 1;
    w.inputZp = ternary.getInputZp();
    return w;
  }

  int64_t extent(int d) const { return dilation[d] * (kernel[d] - 1) + 1; }
};

/// The input rows (or columns) that output positions [offset, offset + size)
/// read, clipped to [0, inSize), and the padding the clip removed.
struct InputRange {
  OpFoldResult offset, size, padLow, padHigh;
};

InputRange inputRange(OpBuilder &b, Location loc, const ConvWindow &w, int d,
                      OpFoldResult offset, OpFoldResult size,
                      OpFoldResult inSize) {
  MLIRContext *ctx = b.getContext();
  int64_t s = w.stride[d], padLow = w.pad[2 * d], padHigh = w.pad[2 * d + 1];
  AffineExpr o, n;
  bindDims(ctx, o, n);
  auto apply = [&](AffineExpr e, ArrayRef<OpFoldResult> operands) {
    return affine::makeComposedFoldedAffineApply(b, loc, e, operands);
  };
  // The window of the tile: [start, end) in unpadded input coordinates.
  OpFoldResult start = apply(o * s - padLow, {offset});
  OpFoldResult end =
      apply(o * s + (n - 1) * s + w.extent(d) - padLow, {offset, size});
  // Without padding on a side, the window cannot leave the input there.
  OpFoldResult lo =
      padLow == 0
          ? start
          : affine::makeComposedFoldedAffineMax(
                b, loc,
                AffineMap::get(1, 0, {o, getAffineConstantExpr(0, ctx)}, ctx),
                {start});
  OpFoldResult hi =
      padHigh == 0
          ? end
          : affine::makeComposedFoldedAffineMin(
                b, loc, AffineMap::get(2, 0, {o, n}, ctx), {end, inSize});
  return {lo, apply(n - o, {lo, hi}), apply(o - n, {lo, start}),
          apply(o - n, {end, hi})};
}

template <typename ConvOp>
struct ConvTilingModel
    : TilingInterface::ExternalModel<ConvTilingModel<ConvOp>, ConvOp> {
  SmallVector<utils::IteratorType> getLoopIteratorTypes(Operation *) const {
    return SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel);
  }

  SmallVector<Range> getIterationDomain(Operation *op, OpBuilder &b) const {
    SmallVector<Range> domain;
    for (OpFoldResult size :
         tensor::getMixedSizes(b, op->getLoc(), op->getResult(0)))
      domain.push_back({b.getIndexAttr(0), size, b.getIndexAttr(1)});
    return domain;
  }

  /// Why this tile cannot be computed, or nullptr.
  static const char *obstacle(Operation *op, ArrayRef<OpFoldResult> offsets,
                              ArrayRef<OpFoldResult> sizes) {
    auto outType = cast<RankedTensorType>(op->getResult(0).getType());
    if (!isConstantIntValue(offsets[3], 0) ||
        !isConstantIntValue(sizes[3], outType.getDimSize(3)))
      return "can be tiled over batch, rows and columns only: its "
             "per-channel scales are attributes";
    ConvWindow w = ConvWindow::of(op);
    for (int d = 0; d < 2; ++d)
      if (w.pad[2 * d] >= w.extent(d) || w.pad[2 * d + 1] >= w.extent(d))
        return "cannot be tiled: its padding is as wide as its window, so "
               "some outputs read no input";
    return nullptr;
  }

  FailureOr<TilingResult>
  getTiledImplementation(Operation *op, OpBuilder &b,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes) const {
    if (const char *why = obstacle(op, offsets, sizes))
      return op->emitOpError() << why;
    return tile(op, b, offsets, sizes);
  }

  /// The tile at `offsets` x `sizes`, which obstacle() accepts.
  static FailureOr<TilingResult> tile(Operation *op, OpBuilder &b,
                                      ArrayRef<OpFoldResult> offsets,
                                      ArrayRef<OpFoldResult> sizes) {
    Location loc = op->getLoc();
    auto outType = cast<RankedTensorType>(op->getResult(0).getType());
    ConvWindow w = ConvWindow::of(op);
    Value input = op->getOperand(0);
    auto inType = cast<RankedTensorType>(input.getType());
    SmallVector<OpFoldResult> inOffsets = {
        offsets[0], b.getIndexAttr(0), b.getIndexAttr(0), b.getIndexAttr(0)};
    SmallVector<OpFoldResult> inSizes = {
        sizes[0], {}, {}, b.getIndexAttr(inType.getDimSize(3))};
    SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)),
        high(4, b.getIndexAttr(0));
    for (int d = 0; d < 2; ++d) {
      InputRange r = inputRange(b, loc, w, d, offsets[1 + d], sizes[1 + d],
                                tensor::getMixedSize(b, loc, input, 1 + d));
      inOffsets[1 + d] = r.offset;
      inSizes[1 + d] = r.size;
      low[1 + d] = r.padLow;
      high[1 + d] = r.padHigh;
    }
    SmallVector<OpFoldResult> unit(4, b.getIndexAttr(1));
    auto slice =
        tensor::ExtractSliceOp::create(b, loc, input, inOffsets, inSizes, unit);

    // Padding known at compile time stays an attribute of the tiled op.
    SmallVector<int64_t> pad;
    for (int d = 0; d < 2; ++d)
      for (OpFoldResult p : {low[1 + d], high[1 + d]})
        if (std::optional<int64_t> v = getConstantIntValue(p))
          pad.push_back(*v);
    Value tileInput = slice;
    if (pad.size() != 4) {
      // The padded window: (size - 1) * stride + extent positions.
      SmallVector<int64_t> shape = {
          getConstantIntValue(sizes[0]).value_or(ShapedType::kDynamic), 0, 0,
          inType.getDimSize(3)};
      for (int d = 0; d < 2; ++d) {
        std::optional<int64_t> n = getConstantIntValue(sizes[1 + d]);
        shape[1 + d] =
            n ? (*n - 1) * w.stride[d] + w.extent(d) : ShapedType::kDynamic;
      }
      Value zp = arith::ConstantOp::create(
          b, loc, b.getIntegerAttr(inType.getElementType(), w.inputZp));
      tileInput = tensor::PadOp::create(
          b, loc, RankedTensorType::get(shape, inType.getElementType()), slice,
          low, high, zp);
      pad.assign(4, 0);
    }

    SmallVector<int64_t> tileShape;
    for (OpFoldResult size : sizes)
      tileShape.push_back(
          getConstantIntValue(size).value_or(ShapedType::kDynamic));
    SmallVector<Value> operands(op->getOperands());
    operands[0] = tileInput;
    Operation *tiled =
        clone(b, op, RankedTensorType::get(tileShape, outType.getElementType()),
              operands);
    if (auto conv = dyn_cast<Conv2DOp>(tiled))
      conv.setPad(pad);
    else
      assert(llvm::all_of(pad, [](int64_t p) { return p == 0; }) &&
             "a convolution without a pad attribute needs no padding");
    return TilingResult{{tiled},
                        SmallVector<Value>(tiled->getResults()),
                        {slice.getOperation()}};
  }

  LogicalResult getResultTilePosition(
      Operation *, OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
      ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
      SmallVector<OpFoldResult> &resultSizes) const {
    resultOffsets.assign(offsets.begin(), offsets.end());
    resultSizes.assign(sizes.begin(), sizes.end());
    return success();
  }

  LogicalResult getIterationDomainTileFromResultTile(
      Operation *, OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
      ArrayRef<OpFoldResult> sizes,
      SmallVectorImpl<OpFoldResult> &iterDomainOffsets,
      SmallVectorImpl<OpFoldResult> &iterDomainSizes) const {
    iterDomainOffsets.assign(offsets.begin(), offsets.end());
    iterDomainSizes.assign(sizes.begin(), sizes.end());
    return success();
  }

  /// Fusion asks for producer tiles speculatively: a tile this op cannot
  /// compute is a silent failure (the producer stays unfused).
  FailureOr<TilingResult>
  generateResultTileValue(Operation *op, OpBuilder &b, unsigned,
                          ArrayRef<OpFoldResult> offsets,
                          ArrayRef<OpFoldResult> sizes) const {
    if (obstacle(op, offsets, sizes))
      return failure();
    return tile(op, b, offsets, sizes);
  }
};

} // namespace

void mlir::prom::registerTilingInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, PromDialect *) {
    ctx->loadDialect<affine::AffineDialect, arith::ArithDialect,
                     tensor::TensorDialect>();
    Conv2DOp::attachInterface<ConvTilingModel<Conv2DOp>>(*ctx);
    TernaryConv2DOp::attachInterface<ConvTilingModel<TernaryConv2DOp>>(*ctx);
  });
}
