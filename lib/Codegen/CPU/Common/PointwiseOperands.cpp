//===- PointwiseOperands.cpp - convolutions as matrix products ------------===//

#include "Prom/Codegen/CPU/Common/PointwiseOperands.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/Padding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

/// Bytes `x` as a kernel's inputs: flipped to x + 128 (`signBit`: -128 in
/// each lane) and zero-extended, or sign-extended as they are, to
/// `element`.
static Value widenBytes(ImplicitLocOpBuilder &b, Value x, Type element,
                        bool flip, Value signBit) {
  auto type = cast<VectorType>(x.getType()).clone(element);
  if (flip) {
    x = arith::XOrIOp::create(b, x, signBit);
    return element == b.getI8Type() ? x : arith::ExtUIOp::create(b, type, x);
  }
  return element == b.getI8Type() ? x : arith::ExtSIOp::create(b, type, x);
}

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
  std::optional<WindowRows> window;
  if constexpr (std::is_same_v<OpTy, Conv2DOp>) {
    int64_t kh = wType.getDimSize(1), kw = wType.getDimSize(2);
    pixels = windowRows(b, op.getInput(), op.getPad(),
                        b.getI8IntegerAttr(op.getInputZp()), op.getStride(),
                        op.getDilation(), kh, kw, outType.getShape());
    // An im2col whose window rows are contiguous: the kernel copies them.
    bool windowed = kh * kw > 1 ||
                    llvm::any_of(op.getPad(), [](int64_t p) { return p != 0; });
    if (windowed && op.getDilation()[1] == 1) {
      Value padded = padFeatureMap(b, b.getLoc(), op.getInput(), op.getPad(),
                                   b.getI8IntegerAttr(op.getInputZp()));
      ArrayRef<int64_t> shape =
          cast<RankedTensorType>(padded.getType()).getShape();
      Value rows = tensor::CollapseShapeOp::create(
          b,
          RankedTensorType::get({shape[0], shape[1], shape[2] * shape[3]},
                                b.getI8Type()),
          padded, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
      window = WindowRows{rows,
                          kh,
                          kw,
                          shape[3],
                          {op.getStride()[0], op.getStride()[1]},
                          {op.getDilation()[0], op.getDilation()[1]},
                          outType.getDimSize(1),
                          outType.getDimSize(2)};
    }
  } else { // a 1x1 window without padding
    pixels = windowRows(b, op.getInput(), {0, 0, 0, 0}, {}, op.getStride(),
                        {1, 1}, 1, 1, outType.getShape());
  }
  return PointwiseConv{pixels,
                       op.getBias(),
                       std::move(*weights),
                       inputScale,
                       outputScale,
                       op.getWeightScales(),
                       op.getInputZp(),
                       op.getOutputZp(),
                       op.getClampBounds(),
                       outType,
                       window};
}

Value mlir::prom::kernelPixelRows(ImplicitLocOpBuilder &b,
                                  const PointwiseConv &conv, Value first,
                                  int64_t count, Type element, int64_t width,
                                  bool flip) {
  Type i8 = b.getI8Type();
  int64_t cin = cast<RankedTensorType>(conv.pixels.getType()).getDimSize(1);
  if (!conv.window) {
    Value x = tensor::ExtractSliceOp::create(
        b, RankedTensorType::get({count, cin}, i8), conv.pixels,
        ValueRange{first}, ValueRange{}, ValueRange{},
        b.getDenseI64ArrayAttr({ShapedType::kDynamic, 0}),
        b.getDenseI64ArrayAttr({count, cin}), b.getDenseI64ArrayAttr({1, 1}));
    Value u = widenPixels(b, x, element, flip);
    if (width == cin)
      return u;
    return tensor::createPadHighOp(
        RankedTensorType::get({count, width}, element), u,
        arith::ConstantOp::create(b, b.getZeroAttr(element)),
        /*nofold=*/false, b.getLoc(), b);
  }

  // Per pixel, its window's kh rows of kw * ci bytes, flipped or not and
  // widened as whole vectors, then zeros up to `width`.
  const WindowRows &w = *conv.window;
  int64_t rowBytes = w.kw * w.ci;
  auto bytes = VectorType::get({rowBytes}, i8);
  Value signBit = arith::ConstantOp::create(
      b, DenseElementsAttr::get(bytes, b.getI8IntegerAttr(-128)));
  Value zeros;
  if (width > cin)
    zeros = arith::ConstantOp::create(
        b, b.getZeroAttr(VectorType::get({width - cin}, element)));
  Value rows = tensor::EmptyOp::create(b, {count, width}, element);
  return emitLoop(
      b, count, rows, [&](ImplicitLocOpBuilder &lb, Value q, Value out) {
        Value p = arith::AddIOp::create(lb, first, q);
        Value ow = arith::RemUIOp::create(lb, p, indexConstant(lb, w.outW));
        Value t = arith::DivUIOp::create(lb, p, indexConstant(lb, w.outW));
        Value oh = arith::RemUIOp::create(lb, t, indexConstant(lb, w.outH));
        Value n = arith::DivUIOp::create(lb, t, indexConstant(lb, w.outH));
        Value row0 =
            arith::MulIOp::create(lb, oh, indexConstant(lb, w.stride[0]));
        Value col = arith::MulIOp::create(
            lb, ow, indexConstant(lb, w.stride[1] * w.ci));
        for (int64_t i = 0; i < w.kh; ++i) {
          Value row = addIndex(lb, row0, i * w.dilation[0]);
          Value u =
              widenBytes(lb, readVector(lb, bytes, w.padded, {n, row, col}),
                         element, flip, signBit);
          out = vector::TransferWriteOp::create(
                    lb, u, out, ValueRange{q, indexConstant(lb, i * rowBytes)},
                    ArrayRef<bool>{true})
                    .getResult();
        }
        if (zeros)
          out = vector::TransferWriteOp::create(
                    lb, zeros, out, ValueRange{q, indexConstant(lb, cin)},
                    ArrayRef<bool>{true})
                    .getResult();
        return out;
      });
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

int mlir::prom::maxPairSum(ArrayRef<int8_t> weights, int64_t rows) {
  int64_t cols = weights.size() / rows;
  int largest = 0;
  for (int64_t o = 0; o < rows; ++o)
    for (int64_t i = 0; i < cols; i += 2) {
      int w0 = std::abs(int(weights[o * cols + i]));
      int w1 = i + 1 < cols ? std::abs(int(weights[o * cols + i + 1])) : 0;
      largest = std::max(largest, w0 + w1);
    }
  return largest;
}

Value mlir::prom::widenPixels(ImplicitLocOpBuilder &b, Value pixels,
                              Type element, bool flip) {
  Type i8 = b.getI8Type();
  if (!flip && element == i8)
    return pixels;
  int64_t total = cast<RankedTensorType>(pixels.getType()).getNumElements();
  auto bytes = VectorType::get({std::min<int64_t>(64, total)}, i8);
  Value signBit = arith::ConstantOp::create(
      b, DenseElementsAttr::get(bytes, b.getI8IntegerAttr(-128)));
  return mapFlatVectors(b, pixels, bytes.getNumElements(), element,
                        [&](ImplicitLocOpBuilder &lb, Value x) -> Value {
                          return widenBytes(lb, x, element, flip, signBit);
                        });
}
