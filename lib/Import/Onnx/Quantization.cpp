//===- Quantization.cpp - QuantizeLinear, DequantizeLinear ----------------===//
//
// QDQ pairs stay visible as prom.quantize / prom.dequantize, for
// prom-quantize to turn into integer ops. prom's integers are signed: uint8
// values u are represented as u - 128 with the zero point shifted alike,
// which leaves every dequantized value unchanged.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

namespace {
struct QuantParams {
  SmallVector<float> scales;
  SmallVector<int32_t> zeroPoints;
  std::optional<int64_t> axis; // in ONNX order, when per axis
  bool unsignedType = false;
};
} // namespace

/// Scale (input 1), zero point (input 2, optional) and axis of a Q/DQ node.
static FailureOr<QuantParams>
readParams(GraphImporter &g, const onnx::NodeProto &node, int64_t rank) {
  const OnnxConstant *scale = g.constantInput(node, 1);
  if (!scale || !scale->isFloat())
    return g.fail("the scale must be a float constant");
  QuantParams p;
  p.scales.assign(scale->floats.begin(), scale->floats.end());
  p.unsignedType = true; // ONNX's default zero point is uint8 0
  p.zeroPoints.assign(p.scales.size(), 0);
  if (g.hasInput(node, 2)) {
    const OnnxConstant *zp = g.constantInput(node, 2);
    if (!zp || zp->isFloat() || zp->numElements() != int64_t(p.scales.size()))
      return g.fail("the zero point must be an integer constant shaped like "
                    "the scale");
    if (zp->dtype != onnx::TensorProto_DataType_UINT8 &&
        zp->dtype != onnx::TensorProto_DataType_INT8 &&
        zp->dtype != onnx::TensorProto_DataType_INT32)
      return g.fail("only int8, uint8 (and int32 for biases) quantization "
                    "is supported");
    p.unsignedType = zp->dtype == onnx::TensorProto_DataType_UINT8;
    p.zeroPoints.assign(zp->ints.begin(), zp->ints.end());
  }
  if (p.unsignedType)
    for (int32_t &z : p.zeroPoints)
      z -= 128;
  if (p.scales.size() > 1) {
    int64_t axis = g.attrInt(node, "axis").value_or(1);
    p.axis = axis < 0 ? axis + rank : axis;
  }
  return p;
}

static IntegerAttr axisAttr(GraphImporter &g, const QuantParams &p,
                            Layout layout) {
  if (!p.axis)
    return nullptr;
  static constexpr int64_t kNHWCPosition[] = {0, 3, 1, 2};
  int64_t axis = layout == Layout::NHWC ? kNHWCPosition[*p.axis] : *p.axis;
  return g.builder().getI64IntegerAttr(axis);
}

static LogicalResult importQuantizeLinear(GraphImporter &g,
                                          const onnx::NodeProto &node) {
  Layout layout = g.layoutOf(node, 0);
  FailureOr<Value> x = g.valueInput(node, 0, layout);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  FailureOr<QuantParams> p = readParams(g, node, type.getRank());
  if (failed(p))
    return failure();
  OpBuilder &b = g.builder();
  auto resultType = RankedTensorType::get(type.getShape(), b.getI8Type());
  Value q = QuantizeOp::create(
      b, g.loc(), resultType, *x, b.getDenseF32ArrayAttr(p->scales),
      b.getDenseI32ArrayAttr(p->zeroPoints), axisAttr(g, *p, layout));
  g.setOutput(node, 0, q, layout);
  return success();
}

static LogicalResult importDequantizeLinear(GraphImporter &g,
                                            const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> shape = g.inputShape(node, 0);
  if (failed(shape))
    return failure();
  FailureOr<QuantParams> p = readParams(g, node, shape->size());
  if (failed(p))
    return failure();
  const OnnxConstant *c = g.constantInput(node, 0);
  if (c && c->dtype == onnx::TensorProto_DataType_INT32) {
    // An int32 bias: dequantized on the host (prom-quantize recomputes
    // integer biases from the scales). ONNX fixes its zero point at 0.
    if (const OnnxConstant *zp = g.constantInput(node, 2))
      if (zp->dtype != onnx::TensorProto_DataType_INT32 ||
          llvm::any_of(zp->ints, [](int64_t z) { return z != 0; }))
        return g.fail("an int32 input's zero point must be an int32 0");
    OnnxConstant out;
    out.shape = c->shape;
    out.dtype = onnx::TensorProto_DataType_FLOAT;
    int64_t inner = 1;
    if (p->axis)
      for (size_t d = *p->axis + 1; d < c->shape.size(); ++d)
        inner *= c->shape[d];
    for (int64_t i = 0; i < c->numElements(); ++i) {
      size_t k = p->axis ? (i / inner) % p->scales.size() : 0;
      out.floats.push_back(float(c->ints[i]) * p->scales[k]);
    }
    g.setConstantOutput(node, 0, std::move(out));
    return success();
  }
  Layout layout = g.layoutOf(node, 0);
  Value x;
  if (c) {
    if (c->dtype != onnx::TensorProto_DataType_INT8 &&
        c->dtype != onnx::TensorProto_DataType_UINT8)
      return g.fail("only int8, uint8 and int32 tensors can be dequantized");
    OnnxConstant shifted = *c;
    if (c->dtype == onnx::TensorProto_DataType_UINT8)
      for (int64_t &v : shifted.ints)
        v -= 128;
    shifted.dtype = onnx::TensorProto_DataType_INT8;
    x = g.materialize(shifted, Layout::Onnx, node.input(0));
    layout = Layout::Onnx;
  } else {
    FailureOr<Value> v = g.valueInput(node, 0, layout);
    if (failed(v))
      return failure();
    x = *v;
  }
  auto type = cast<RankedTensorType>(x.getType());
  if (!type.getElementType().isInteger(8))
    return g.fail("expects an int8 or uint8 input");
  OpBuilder &b = g.builder();
  Value result = DequantizeOp::create(
      b, g.loc(), RankedTensorType::get(type.getShape(), b.getF32Type()), x,
      b.getDenseF32ArrayAttr(p->scales), b.getDenseI32ArrayAttr(p->zeroPoints),
      axisAttr(g, *p, layout));
  g.setOutput(node, 0, result, layout);
  return success();
}

void onnx_import::addQuantizationImporters(ImporterTable &table) {
  table["QuantizeLinear"] = importQuantizeLinear;
  table["DequantizeLinear"] = importDequantizeLinear;
}
