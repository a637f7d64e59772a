//===- Shape.cpp - reshaping, concatenation, constants, shape arithmetic --===//
//
// Shape computations (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, as
// exporters write them) run on the host: with static shapes, all of their
// inputs are known at import time.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

/// The same elements with a new shape.
static OnnxConstant withShape(const OnnxConstant &t, ArrayRef<int64_t> shape) {
  OnnxConstant out = t;
  out.shape.assign(shape.begin(), shape.end());
  return out;
}

/// Ops that only change the shape (Flatten, Reshape, Squeeze, Unsqueeze):
/// the result's static shape comes from shape inference.
static LogicalResult importReshapeLike(GraphImporter &g,
                                       const onnx::NodeProto &node) {
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(outType))
    return failure();
  ArrayRef<int64_t> shape = outType->getShape();
  if (const OnnxConstant *c = g.constantInput(node, 0)) {
    g.setConstantOutput(node, 0, withShape(*c, shape));
    return success();
  }
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  if (failed(in))
    return failure();
  // [N, C, 1, 1] has the same element order in both layouts: reshape the
  // NHWC value directly (the classifier after a global pool).
  bool unitSpatial = in->size() == 4 && (*in)[2] == 1 && (*in)[3] == 1;
  Layout layout = unitSpatial ? g.layoutOf(node, 0) : Layout::Onnx;
  FailureOr<Value> x = g.valueInput(node, 0, layout);
  if (failed(x))
    return failure();
  g.setOutput(node, 0, g.reshape(*x, shape));
  return success();
}

static LogicalResult importConstant(GraphImporter &g,
                                    const onnx::NodeProto &node) {
  if (const onnx::TensorProto *t = g.attrTensor(node, "value")) {
    FailureOr<OnnxConstant> host = g.readTensor(*t);
    if (failed(host))
      return failure();
    g.setConstantOutput(node, 0, std::move(*host));
    return success();
  }
  OnnxConstant t;
  if (std::optional<float> f = g.attrFloat(node, "value_float")) {
    t.dtype = onnx::TensorProto_DataType_FLOAT;
    t.floats = {*f};
  } else if (std::optional<int64_t> i = g.attrInt(node, "value_int")) {
    t.dtype = onnx::TensorProto_DataType_INT64;
    t.ints = {*i};
  } else if (std::optional<std::vector<int64_t>> v =
                 g.attrInts(node, "value_ints")) {
    t.dtype = onnx::TensorProto_DataType_INT64;
    t.ints = *v;
    t.shape = {int64_t(v->size())};
  } else {
    return g.fail("only value, value_float, value_int and value_ints are "
                  "supported");
  }
  g.setConstantOutput(node, 0, std::move(t));
  return success();
}

static LogicalResult importShape(GraphImporter &g,
                                 const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  if (failed(in))
    return failure();
  int64_t rank = in->size();
  int64_t start = g.attrInt(node, "start").value_or(0);
  int64_t end = g.attrInt(node, "end").value_or(rank);
  auto clampAxis = [&](int64_t a) {
    return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank);
  };
  start = clampAxis(start);
  end = clampAxis(end);
  OnnxConstant t;
  t.dtype = onnx::TensorProto_DataType_INT64;
  t.ints.assign(in->begin() + start, in->begin() + std::max(start, end));
  t.shape = {int64_t(t.ints.size())};
  g.setConstantOutput(node, 0, std::move(t));
  return success();
}

static LogicalResult importGather(GraphImporter &g,
                                  const onnx::NodeProto &node) {
  const OnnxConstant *data = g.constantInput(node, 0);
  const OnnxConstant *indices = g.constantInput(node, 1);
  if (!data || !indices || indices->isFloat())
    return g.fail("Gather is supported on import-time constants only "
                  "(shape arithmetic)");
  int64_t rank = data->shape.size();
  int64_t axis = g.attrInt(node, "axis").value_or(0);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return g.fail("axis out of range");
  int64_t outer = 1, inner = 1, extent = data->shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= data->shape[d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= data->shape[d];
  OnnxConstant out;
  out.dtype = data->dtype;
  out.shape.assign(data->shape.begin(), data->shape.begin() + axis);
  out.shape.insert(out.shape.end(), indices->shape.begin(),
                   indices->shape.end());
  out.shape.insert(out.shape.end(), data->shape.begin() + axis + 1,
                   data->shape.end());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices->ints) {
      if (index < 0)
        index += extent;
      if (index < 0 || index >= extent)
        return g.fail("index " + Twine(index) + " out of range");
      for (int64_t i = 0; i < inner; ++i) {
        int64_t src = (o * extent + index) * inner + i;
        if (data->isFloat())
          out.floats.push_back(data->floats[src]);
        else
          out.ints.push_back(data->ints[src]);
      }
    }
  g.setConstantOutput(node, 0, std::move(out));
  return success();
}

/// NCHW axis -> its position in NHWC.
static int64_t nhwcAxis(int64_t axis) {
  static constexpr int64_t kPosition[] = {0, 3, 1, 2};
  return kPosition[axis];
}

static LogicalResult importConcat(GraphImporter &g,
                                  const onnx::NodeProto &node) {
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(outType))
    return failure();
  int64_t rank = outType->getRank();
  int64_t axis = g.attrInt(node, "axis").value_or(0);
  if (axis < 0)
    axis += rank;
  bool allConstant = true, anyNHWC = false;
  for (int i = 0; i < node.input_size(); ++i) {
    allConstant &= g.constantInput(node, i) != nullptr;
    anyNHWC |= !g.constantInput(node, i) && g.layoutOf(node, i) == Layout::NHWC;
  }
  if (allConstant) {
    // Host concatenation: each input contributes a run per outer index.
    OnnxConstant out = *g.constantInput(node, 0);
    out.shape = std::vector<int64_t>(outType->getShape().begin(),
                                     outType->getShape().end());
    out.floats.clear();
    out.ints.clear();
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= out.shape[d];
    for (int64_t o = 0; o < outer; ++o)
      for (int i = 0; i < node.input_size(); ++i) {
        const OnnxConstant *c = g.constantInput(node, i);
        int64_t run = c->numElements() / outer;
        if (c->isFloat())
          out.floats.insert(out.floats.end(), c->floats.begin() + o * run,
                            c->floats.begin() + (o + 1) * run);
        else
          out.ints.insert(out.ints.end(), c->ints.begin() + o * run,
                          c->ints.begin() + (o + 1) * run);
      }
    g.setConstantOutput(node, 0, std::move(out));
    return success();
  }
  Layout layout = rank == 4 && anyNHWC ? Layout::NHWC : Layout::Onnx;
  SmallVector<Value> inputs;
  for (int i = 0; i < node.input_size(); ++i) {
    FailureOr<Value> v = g.valueInput(node, i, layout);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  Type type = *outType;
  if (layout == Layout::NHWC) {
    type = RankedTensorType::get(toNHWC(outType->getShape()),
                                 outType->getElementType());
    axis = nhwcAxis(axis);
  }
  Value result = tosa::ConcatOp::create(g.builder(), g.loc(), type, inputs,
                                        g.builder().getI32IntegerAttr(axis));
  g.setOutput(node, 0, result, layout);
  return success();
}

static LogicalResult importTranspose(GraphImporter &g,
                                     const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  if (failed(in))
    return failure();
  std::vector<int64_t> perm64 =
      g.attrInts(node, "perm").value_or(std::vector<int64_t>());
  if (perm64.empty())
    for (int64_t d = in->size(); d-- > 0;)
      perm64.push_back(d);
  SmallVector<int32_t> perm(perm64.begin(), perm64.end());
  if (const OnnxConstant *c = g.constantInput(node, 0)) {
    g.setConstantOutput(node, 0, transposeHost(*c, perm));
    return success();
  }
  FailureOr<Value> x = g.valueInput(node, 0);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(x) || failed(outType))
    return failure();
  g.setOutput(node, 0, g.permute(*x, perm));
  return success();
}

void onnx_import::addShapeImporters(ImporterTable &table) {
  table["Flatten"] = importReshapeLike;
  table["Reshape"] = importReshapeLike;
  table["Squeeze"] = importReshapeLike;
  table["Unsqueeze"] = importReshapeLike;
  table["Constant"] = importConstant;
  table["Shape"] = importShape;
  table["Gather"] = importGather;
  table["Concat"] = importConcat;
  table["Transpose"] = importTranspose;
}
