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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
    Value x = op.getInput();

    ArrayRef<int64_t> in = inType.getShape(), out = outType.getShape();
    ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
    ArrayRef<int64_t> pad = op.getPad(); // top, bottom, left, right
    auto i32s = VectorType::get({lanes}, b.getI32Type());
    auto i8s = VectorType::get({lanes}, b.getI8Type());
    std::pair<int32_t, int32_t> clamp = op.getClampBounds();
    Value zpVector = arith::ConstantOp::create(
        b, DenseElementsAttr::get(i8s, b.getI8IntegerAttr(zp)));

    // Output rows (columns) whose taps all fall inside the input: there
    // the input is read directly; outside, each read checks its position
    // and reads the zero point for padding. No padded copy is made.
    auto inside = [&](int64_t dim) -> std::pair<int64_t, int64_t> {
      int64_t before = pad[2 * dim], size = in[1 + dim], outs = out[1 + dim];
      int64_t span = (dim ? kw - 1 : kh - 1) * dilation[dim];
      int64_t lo = std::min<int64_t>(outs, llvm::divideCeil(before, stride[dim]));
      int64_t last = size - 1 - span + before;
      int64_t hi = last < 0 ? lo : std::clamp(last / stride[dim] + 1, lo, outs);
      return {lo, hi};
    };
    int64_t rowLo, rowHi, colLo, colHi;
    std::tie(rowLo, rowHi) = inside(0);
    std::tie(colLo, colHi) = inside(1);

    // One tile: `width` pixels of row (n, oh) from column ow0, channels
    // [c0, c0 + lanes); `checked` reads test their position.
    auto emitTile = [&](ImplicitLocOpBuilder &tb, Value n, Value oh, Value c0,
                        Value ow0, Value result, int64_t width,
                        bool checked) -> Value {
      SmallVector<Value> acc(width,
                             readVector(tb, i32s, constants->init, {c0}));
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
      for (int64_t i = 0; i < kh; ++i) {
        Value row = addIndex(tb, row0, i * dilation[0]);
        Value rowInside = checked ? within(row, in[1]) : Value();
        for (int64_t j = 0; j < kw; ++j) {
          Value wv =
              readVector(tb, i32s, w, {indexConstant(tb, i * kw + j), c0});
          for (int64_t p = 0; p < width; ++p) {
            Value col = addIndex(tb, col0, p * stride[1] + j * dilation[1]);
            Value xb;
            if (checked) {
              auto read = scf::IfOp::create(
                  tb, arith::AndIOp::create(tb, rowInside, within(col, in[2])),
                  [&](OpBuilder &nested, Location loc) {
                    ImplicitLocOpBuilder rb(loc, nested);
                    scf::YieldOp::create(
                        rb, readVector(rb, i8s, x, {n, row, col, c0}));
                  },
                  [&](OpBuilder &nested, Location loc) {
                    scf::YieldOp::create(nested, loc, zpVector);
                  });
              xb = read.getResult(0);
            } else {
              xb = readVector(tb, i8s, x, {n, row, col, c0});
            }
            Value xv = arith::ExtSIOp::create(tb, i32s, xb);
            acc[p] = arith::AddIOp::create(tb, acc[p],
                                           arith::MulIOp::create(tb, xv, wv));
          }
        }
      }
      RequantLanes lanes = readRequantLanes(tb, *constants, i32s, c0);
      for (int64_t p = 0; p < width; ++p) {
        Value y = requantizeVector(tb, acc[p], lanes, op.getOutputZp(), clamp);
        result = vector::TransferWriteOp::create(
                     tb, y, result, ValueRange{n, oh, addIndex(tb, ow0, p), c0},
                     ArrayRef<bool>{true})
                     .getResult();
      }
      return result;
    };

    // Tiles of up to kTileWidth columns over [lo, hi) of row oh.
    auto emitColumns = [&](ImplicitLocOpBuilder &cb, Value n, Value oh,
                           Value c0, Value result, int64_t lo, int64_t hi,
                           bool checked) -> Value {
      if (hi <= lo)
        return result;
      int64_t width = std::min(kTileWidth, hi - lo);
      return emitTileLoop(cb, hi - lo, width, result,
                          [&](ImplicitLocOpBuilder &tb, Value t0, Value r) {
                            return emitTile(tb, n, oh, c0, addIndex(tb, t0, lo),
                                            r, width, checked);
                          });
    };
    // Rows [lo, hi): channel blocks, then columns, so that a block's
    // weights stay in registers across the row.
    auto emitRows = [&](ImplicitLocOpBuilder &rb, Value n, Value result,
                        int64_t lo, int64_t hi, bool interior) -> Value {
      if (hi <= lo)
        return result;
      return emitLoop(
          rb, hi - lo, result,
          [&](ImplicitLocOpBuilder &hb, Value r, Value r1) {
            Value oh = addIndex(hb, r, lo);
            return emitTileLoop(
                hb, channels, lanes, r1,
                [&](ImplicitLocOpBuilder &cb, Value c0, Value r2) {
                  if (!interior)
                    return emitColumns(cb, n, oh, c0, r2, 0, out[2], true);
                  r2 = emitColumns(cb, n, oh, c0, r2, 0, colLo, true);
                  r2 = emitColumns(cb, n, oh, c0, r2, colLo, colHi, false);
                  return emitColumns(cb, n, oh, c0, r2, colHi, out[2], true);
                });
          });
    };

    Value result = tensor::EmptyOp::create(b, out, b.getI8Type());
    return emitLoop(b, out[0], result,
                    [&](ImplicitLocOpBuilder &nb, Value n, Value r0) {
                      r0 = emitRows(nb, n, r0, 0, rowLo, false);
                      r0 = emitRows(nb, n, r0, rowLo, rowHi, true);
                      return emitRows(nb, n, r0, rowHi, out[1], false);
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
