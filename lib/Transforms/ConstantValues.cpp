//===- ConstantValues.cpp - read and build constant tensors ---------------===//

#include "Prom/Transforms/ConstantValues.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::prom;

template <typename T, typename ResourceAttr>
static std::optional<SmallVector<T>> readElements(ElementsAttr values,
                                                  bool (*isElement)(Type)) {
  if (!values || !isElement(values.getElementType()))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(values))
    return SmallVector<T>(dense.getValues<T>());
  if (auto resource = dyn_cast<ResourceAttr>(values))
    if (std::optional<ArrayRef<T>> data = resource.tryGetAsArrayRef())
      return SmallVector<T>(*data);
  return std::nullopt;
}

/// The elements of a tosa.const or an arith.constant (the forms imported
/// and hand-written IR hold weights in).
static ElementsAttr constantValues(Value v) {
  if (auto cst = v.getDefiningOp<tosa::ConstOp>())
    return cst.getValues();
  if (auto cst = v.getDefiningOp<arith::ConstantOp>())
    return dyn_cast<ElementsAttr>(cst.getValue());
  return ElementsAttr();
}

std::optional<SmallVector<float>> mlir::prom::getFloatConstant(Value v) {
  return readElements<float, DenseF32ResourceElementsAttr>(
      constantValues(v), [](Type t) { return t.isF32(); });
}

std::optional<SmallVector<int8_t>>
mlir::prom::getInt8Elements(ElementsAttr values) {
  return readElements<int8_t, DenseI8ResourceElementsAttr>(
      values, [](Type t) { return t.isInteger(8); });
}

std::optional<SmallVector<int8_t>> mlir::prom::getInt8Constant(Value v) {
  return getInt8Elements(constantValues(v));
}

std::optional<SmallVector<int32_t>> mlir::prom::getInt32Constant(Value v) {
  return readElements<int32_t, DenseI32ResourceElementsAttr>(
      constantValues(v), [](Type t) { return t.isInteger(32); });
}

/// Constants of at least this many elements become resource blobs (as the
/// ONNX importer makes them).
static constexpr size_t kResourceThreshold = 64;

template <typename T>
Value mlir::prom::createConstant(OpBuilder &b, Location loc,
                                 RankedTensorType type, ArrayRef<T> values) {
  ElementsAttr attr;
  if (values.size() >= kResourceThreshold)
    attr = DenseResourceElementsAttr::get(
        type, "prom_quantized",
        HeapAsmResourceBlob::allocateAndCopyInferAlign(values));
  else
    attr = DenseElementsAttr::get(type, values);
  return tosa::ConstOp::create(b, loc, type, attr);
}

template Value mlir::prom::createConstant<int8_t>(OpBuilder &, Location,
                                                  RankedTensorType,
                                                  ArrayRef<int8_t>);
template Value mlir::prom::createConstant<int32_t>(OpBuilder &, Location,
                                                   RankedTensorType,
                                                   ArrayRef<int32_t>);

/// Row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  return strides;
}

FailureOr<TaggedTensor>
mlir::prom::applyLayoutOps(TaggedTensor tensor,
                           ArrayRef<Operation *> layoutOps) {
  for (Operation *op : layoutOps) {
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return failure();
    if (isa<tosa::ReshapeOp>(op)) {
      tensor.shape.assign(resultType.getShape().begin(),
                          resultType.getShape().end());
      continue;
    }
    auto transpose = dyn_cast<tosa::TransposeOp>(op);
    if (!transpose)
      return failure();
    ArrayRef<int32_t> perms = transpose.getPerms();
    SmallVector<int64_t> inStrides = stridesOf(tensor.shape);
    SmallVector<int64_t> outShape;
    for (int32_t p : perms)
      outShape.push_back(tensor.shape[p]);
    TaggedTensor out{outShape, {}, {}};
    out.values.resize(tensor.values.size());
    out.tags.resize(tensor.tags.size());
    SmallVector<int64_t> index(outShape.size(), 0);
    for (size_t e = 0; e < tensor.values.size(); ++e) {
      int64_t source = 0;
      for (size_t d = 0; d < outShape.size(); ++d)
        source += index[d] * inStrides[perms[d]];
      out.values[e] = tensor.values[source];
      out.tags[e] = tensor.tags[source];
      for (size_t d = outShape.size(); d-- > 0;) {
        if (++index[d] < outShape[d])
          break;
        index[d] = 0;
      }
    }
    tensor = std::move(out);
  }
  return tensor;
}

std::optional<SmallVector<float>> mlir::prom::getKnownFloats(Value v) {
  if (std::optional<SmallVector<float>> values = getFloatConstant(v))
    return values;
  if (auto reshape = v.getDefiningOp<tosa::ReshapeOp>())
    return getKnownFloats(reshape.getInput1());
  auto dequantize = v.getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return std::nullopt;
  std::optional<SmallVector<int8_t>> x = getInt8Constant(dequantize.getInput());
  auto type = cast<RankedTensorType>(dequantize.getInput().getType());
  if (!x || !type.hasStaticShape())
    return std::nullopt;
  ArrayRef<float> scales = dequantize.getScales();
  ArrayRef<int32_t> zeroPoints = dequantize.getZeroPoints();
  std::optional<int64_t> axis = dequantize.getAxis();
  int64_t inner = 1, extent = 1;
  if (axis) {
    extent = type.getDimSize(*axis);
    for (int64_t d = *axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  }
  SmallVector<float> values(x->size());
  for (size_t i = 0; i < x->size(); ++i) {
    size_t k = axis ? (i / inner) % extent : 0;
    values[i] = float(int32_t((*x)[i]) - zeroPoints[k]) * scales[k];
  }
  return values;
}

bool mlir::prom::isZeroConstant(Value v) {
  std::optional<SmallVector<float>> values = getFloatConstant(v);
  return values && llvm::all_of(*values, [](float f) { return f == 0.0f; });
}
