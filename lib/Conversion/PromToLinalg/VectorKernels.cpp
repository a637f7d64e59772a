//===- VectorKernels.cpp - pieces of prom's vector kernels ----------------===//

#include "VectorKernels.h"

#include "LoweringUtils.h"

#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

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

Value lowering::emitTileLoop(
    ImplicitLocOpBuilder &b, int64_t total, int64_t size, Value init,
    function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> body) {
  return emitLoop(b, llvm::divideCeil(total, size), init,
                  [&](ImplicitLocOpBuilder &lb, Value t, Value tensor) {
                    Value start = arith::MinSIOp::create(
                        lb,
                        arith::MulIOp::create(lb, t, indexConstant(lb, size)),
                        indexConstant(lb, total - size));
                    return body(lb, start, tensor);
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

FailureOr<ChannelConstants>
lowering::createChannelConstants(ImplicitLocOpBuilder &b, int64_t channels,
                                 ArrayRef<int32_t> correction, Value bias,
                                 float inputScale, ArrayRef<float> weightScales,
                                 float outputScale) {
  SmallVector<int32_t> start(channels, 0), multiplier(channels, 0),
      shift(channels, 1);
  for (size_t c = 0; c < weightScales.size(); ++c) {
    std::optional<FixedPointScale> fp = computeFixedPointScale(
        requantScale(inputScale, weightScales[c], outputScale));
    if (!fp)
      return failure(); // the reference lowering reports it
    start[c] = correction[c];
    multiplier[c] = fp->multiplier;
    shift[c] = fp->shift;
  }
  ChannelConstants constants{createI32Tensor(b, start),
                             createI32Tensor(b, multiplier),
                             createI32Tensor(b, shift)};
  if (bias) {
    Type i32 = b.getI32Type();
    auto paddedType = RankedTensorType::get({channels}, i32);
    Value padded = tensor::createPadHighOp(
        paddedType, bias, arith::ConstantIntOp::create(b, i32, 0),
        /*nofold=*/false, b.getLoc(), b);
    constants.init = createElementwise(
        b, paddedType, tensor::EmptyOp::create(b, {channels}, i32),
        {padded, constants.init},
        {b.getMultiDimIdentityMap(1), b.getMultiDimIdentityMap(1)},
        [](ImplicitLocOpBuilder &ib, ValueRange args) -> Value {
          return arith::AddIOp::create(ib, args[0], args[1]);
        });
  }
  return constants;
}

Value lowering::requantizeVector(ImplicitLocOpBuilder &b, Value acc, Value m,
                                 Value s, int64_t outputZp,
                                 std::pair<int32_t, int32_t> clamp) {
  auto type = cast<VectorType>(acc.getType()).clone(b.getI64Type());
  Value wide = arith::ExtSIOp::create(b, type, acc);
  return addZeroPointAndClamp(b, applyFixedPoint(b, wide, m, s), outputZp,
                              clamp.first, clamp.second);
}
