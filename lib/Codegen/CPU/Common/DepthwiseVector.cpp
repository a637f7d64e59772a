//===- DepthwiseVector.cpp - depthwise convolutions over channel vectors --===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/Padding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMDEPTHWISEVECTOR
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// Output pixels along W per tile: 4 accumulators, the taps' weight
/// vectors and the loaded input fit the register file.
constexpr int64_t kTileWidth = 4;

struct DepthwiseToVector : LoweringPattern<Conv2DOp> {
  using LoweringPattern::LoweringPattern;

  FailureOr<Value> lower(ImplicitLocOpBuilder &b, Conv2DOp op) const override {
    KernelAttr kernel = getKernel(op, KernelKind::DepthwiseVector);
    if (!kernel)
      return failure();
    int64_t lanes = kernel.getLanes();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto wType = cast<RankedTensorType>(op.getWeights().getType());
    RankedTensorType outType = op.getOutput().getType();
    if (!inType.hasStaticShape() || !wType.hasStaticShape() ||
        !outType.hasStaticShape())
      return failure();
    int64_t channels = inType.getDimSize(3);
    if (op.getGroups() != channels || outType.getDimSize(3) != channels ||
        channels < lanes)
      return failure();
    ElementsAttr attr;
    if (!matchPattern(op.getWeights(), m_Constant(&attr)))
      return failure();
    std::optional<SmallVector<int8_t>> weights = getInt8Elements(attr);
    if (!weights)
      return failure();

    // Weights [C, KH, KW, 1] as [taps, C] i32.
    int64_t kh = wType.getDimSize(1), kw = wType.getDimSize(2);
    int64_t taps = kh * kw;
    SmallVector<int32_t> byTap(taps * channels);
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t t = 0; t < taps; ++t)
        byTap[t * channels + c] = (*weights)[c * taps + t];
    int64_t zp = op.getInputZp();
    FailureOr<ChannelConstants> constants = createChannelConstants(
        b, channels, zeroPointTerms(*weights, channels, zp), op.getBias(),
        op.getInputScale().convertToFloat(), op.getWeightScales(),
        op.getOutputScale().convertToFloat());
    if (failed(constants))
      return failure();
    Value w = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(
               RankedTensorType::get({taps, channels}, b.getI32Type()),
               ArrayRef<int32_t>(byTap)));
    Value x = padFeatureMap(b, b.getLoc(), op.getInput(), op.getPad(),
                            b.getI8IntegerAttr(zp));

    ArrayRef<int64_t> out = outType.getShape();
    ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
    int64_t tile = std::min(kTileWidth, out[2]);
    auto i32s = VectorType::get({lanes}, b.getI32Type());
    auto i8s = VectorType::get({lanes}, b.getI8Type());
    std::pair<int32_t, int32_t> clamp = op.getClampBounds();

    // One tile: `tile` pixels of row (n, oh) from column ow0, channels
    // [c0, c0 + lanes).
    auto emitTile = [&](ImplicitLocOpBuilder &tb, Value n, Value oh, Value c0,
                        Value ow0, Value result) -> Value {
      SmallVector<Value> acc(tile, readVector(tb, i32s, constants->init, {c0}));
      Value row0 = arith::MulIOp::create(tb, oh, indexConstant(tb, stride[0]));
      Value col0 = arith::MulIOp::create(tb, ow0, indexConstant(tb, stride[1]));
      for (int64_t i = 0; i < kh; ++i) {
        Value row = addIndex(tb, row0, i * dilation[0]);
        for (int64_t j = 0; j < kw; ++j) {
          Value wv =
              readVector(tb, i32s, w, {indexConstant(tb, i * kw + j), c0});
          for (int64_t p = 0; p < tile; ++p) {
            Value col = addIndex(tb, col0, p * stride[1] + j * dilation[1]);
            Value xv = arith::ExtSIOp::create(
                tb, i32s, readVector(tb, i8s, x, {n, row, col, c0}));
            acc[p] = arith::AddIOp::create(tb, acc[p],
                                           arith::MulIOp::create(tb, xv, wv));
          }
        }
      }
      RequantLanes lanes = readRequantLanes(tb, *constants, i32s, c0);
      for (int64_t p = 0; p < tile; ++p) {
        Value y = requantizeVector(tb, acc[p], lanes, op.getOutputZp(), clamp);
        result = vector::TransferWriteOp::create(
                     tb, y, result, ValueRange{n, oh, addIndex(tb, ow0, p), c0},
                     ArrayRef<bool>{true})
                     .getResult();
      }
      return result;
    };

    // Loops n, oh, channel blocks, column tiles: a block's weights stay in
    // registers across the row.
    Value result = tensor::EmptyOp::create(b, out, b.getI8Type());
    return emitLoop(
        b, out[0], result, [&](ImplicitLocOpBuilder &nb, Value n, Value r0) {
          return emitLoop(
              nb, out[1], r0,
              [&](ImplicitLocOpBuilder &hb, Value oh, Value r1) {
                return emitTileLoop(
                    hb, channels, lanes, r1,
                    [&](ImplicitLocOpBuilder &cb, Value c0, Value r2) {
                      return emitTileLoop(
                          cb, out[2], tile, r2,
                          [&](ImplicitLocOpBuilder &tb, Value ow0, Value r3) {
                            return emitTile(tb, n, oh, c0, ow0, r3);
                          });
                    });
              });
        });
  }
};

struct DepthwiseVectorPass
    : prom::impl::PromDepthwiseVectorBase<DepthwiseVectorPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DepthwiseToVector>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::DepthwiseVector,
                                   "prom-depthwise-vector")))
      signalPassFailure();
  }
};

} // namespace
