//===- Padding.cpp - spatial padding of NHWC feature maps -----------------===//

#include "Prom/Transforms/Padding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value prom::padFeatureMap(OpBuilder &b, Location loc, Value input,
                          ArrayRef<int64_t> pad, TypedAttr padValue) {
  if (llvm::all_of(pad, [](int64_t v) { return v == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> in = type.getShape();
  auto padded = [](int64_t size, int64_t lo, int64_t hi) {
    return ShapedType::isDynamic(size) ? size : size + lo + hi;
  };
  auto paddedType =
      RankedTensorType::get({in[0], padded(in[1], pad[0], pad[1]),
                             padded(in[2], pad[2], pad[3]), in[3]},
                            type.getElementType());
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(pad[0]),
                                   b.getIndexAttr(pad[2]), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(pad[1]),
                                    b.getIndexAttr(pad[3]), b.getIndexAttr(0)};
  Value value = arith::ConstantOp::create(b, loc, padValue);
  return tensor::PadOp::create(b, loc, paddedType, input, low, high, value);
}
