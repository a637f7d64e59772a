//===- PointwiseOperands.cpp - convolutions as u8 x s8 products ----------===//

#include "Prom/Codegen/CPU/X86/PointwiseOperands.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

template <typename OpTy>
static std::optional<PointwiseConv> matchConv(ImplicitLocOpBuilder &b,
                                              OpTy op) {
  auto wType = cast<RankedTensorType>(op.getWeights().getType());
  RankedTensorType outType = op.getOutput().getType();
  // The selection's own test (static shapes, int8 constant weights, scales
  // in range), checked again before any IR is built.
  if (!integerKernelObstacle(op).empty())
    return std::nullopt;
  if constexpr (std::is_same_v<OpTy, Conv2DOp>) {
    if (op.getGroups() != 1)
      return std::nullopt;
  } else if (wType.getDimSize(1) != 1 || wType.getDimSize(2) != 1) {
    return std::nullopt;
  }
  ElementsAttr attr;
  (void)matchPattern(op.getWeights(), m_Constant(&attr));
  std::optional<SmallVector<int8_t>> weights = getInt8Elements(attr);
  float inputScale = op.getInputScale().convertToFloat();
  float outputScale = op.getOutputScale().convertToFloat();
  Value pixels;
  if constexpr (std::is_same_v<OpTy, Conv2DOp>)
    pixels = windowRows(b, op.getInput(), op.getPad(),
                        b.getI8IntegerAttr(op.getInputZp()), op.getStride(),
                        op.getDilation(), wType.getDimSize(1),
                        wType.getDimSize(2), outType.getShape());
  else // a 1x1 window without padding
    pixels = windowRows(b, op.getInput(), {0, 0, 0, 0}, {}, op.getStride(),
                        {1, 1}, 1, 1, outType.getShape());
  return PointwiseConv{pixels,          op.getBias(),     std::move(*weights),
                       inputScale,      outputScale,      op.getWeightScales(),
                       op.getInputZp(), op.getOutputZp(), op.getClampBounds(),
                       outType};
}

std::optional<PointwiseConv>
mlir::prom::matchPointwiseConv(ImplicitLocOpBuilder &b, Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return matchConv(b, conv);
  if (auto conv = dyn_cast<TernaryConv2DOp>(op))
    return matchConv(b, conv);
  return std::nullopt;
}

int64_t mlir::prom::chunkPixels(int64_t pixels, int64_t rowBytes, int64_t np,
                                int64_t chunkBytes) {
  int64_t fit = std::max<int64_t>(chunkBytes / rowBytes / np, 1) * np;
  if (fit >= pixels)
    return pixels;
  int64_t chunks = llvm::divideCeil(pixels, fit);
  return std::min<int64_t>(llvm::alignTo(llvm::divideCeil(pixels, chunks), np),
                           pixels);
}

std::optional<AccumulatorRanges>
mlir::prom::accumulatorRanges(ArrayRef<int8_t> weights, int64_t rows,
                              Value bias, ArrayRef<int32_t> correction,
                              int64_t outputZp,
                              std::pair<int32_t, int32_t> clamp) {
  int64_t cols = weights.size() / rows;
  std::optional<SmallVector<int32_t>> biasValues =
      bias ? getInt32Constant(bias) : SmallVector<int32_t>(rows, 0);
  if (!biasValues)
    return std::nullopt;
  AccumulatorRanges ranges{{}, {}, {}, outputZp, clamp};
  for (int64_t r = 0; r < rows; ++r) {
    int64_t negative = 0, positive = 0;
    for (int8_t w : weights.slice(r * cols, cols))
      (w < 0 ? negative : positive) += w;
    int64_t init = int64_t(correction[r]) + (*biasValues)[r];
    ranges.init.push_back(init);
    ranges.lo.push_back(init + 255 * negative);
    ranges.hi.push_back(init + 255 * positive);
  }
  return ranges;
}

SmallVector<int16_t> mlir::prom::packWeights(ArrayRef<int8_t> values,
                                             int64_t rows, int64_t cols,
                                             int64_t lanes, int64_t group,
                                             int64_t nb) {
  int64_t steps = llvm::divideCeil(cols, group);
  int64_t blocks = llvm::divideCeil(rows, lanes);
  int64_t columns = llvm::divideCeil(blocks, nb);
  SmallVector<int16_t> packed(columns * steps * nb * lanes * group, 0);
  for (int64_t c = 0; c < columns; ++c)
    for (int64_t j = 0; j < nb; ++j)
      for (int64_t l = 0; l < lanes; ++l) {
        int64_t o = (std::min(c * nb, blocks - nb) + j) * lanes + l;
        if (o >= rows)
          continue;
        for (int64_t i = 0; i < cols; ++i)
          packed[(((c * steps + i / group) * nb + j) * lanes + l) * group +
                 i % group] = values[o * cols + i];
      }
  return packed;
}

Value mlir::prom::flipSignBits(ImplicitLocOpBuilder &b, Value pixels,
                               Type element) {
  auto type = cast<RankedTensorType>(pixels.getType());
  int64_t total = type.getNumElements();
  int64_t width = std::min<int64_t>(64, total);
  Value flat = tensor::CollapseShapeOp::create(
      b, RankedTensorType::get({total}, type.getElementType()), pixels,
      ArrayRef<ReassociationIndices>{{0, 1}});
  auto bytes = VectorType::get({width}, b.getI8Type());
  Value signBit = arith::ConstantOp::create(
      b, DenseElementsAttr::get(bytes, b.getI8IntegerAttr(-128)));
  Value flipped = emitTileLoop(
      b, total, width, tensor::EmptyOp::create(b, {total}, element),
      [&](ImplicitLocOpBuilder &lb, Value at, Value out) -> Value {
        Value u = arith::XOrIOp::create(lb, readVector(lb, bytes, flat, {at}),
                                        signBit);
        if (element != lb.getI8Type())
          u = arith::ExtUIOp::create(lb, bytes.clone(element), u);
        return vector::TransferWriteOp::create(lb, u, out, ValueRange{at},
                                               ArrayRef<bool>{true})
            .getResult();
      });
  return tensor::ExpandShapeOp::create(b, type.clone(element), flipped,
                                       ArrayRef<ReassociationIndices>{{0, 1}});
}
