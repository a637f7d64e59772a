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

/// Gather of a run-time value by constant indices: tosa.gather over the
/// value seen as [outer, extent, inner], each outer row taking the same
/// indices.
static LogicalResult importGatherValue(GraphImporter &g,
                                       const onnx::NodeProto &node,
                                       const OnnxConstant &indices) {
  FailureOr<std::vector<int64_t>> shape = g.inputShape(node, 0);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(shape) || failed(outType))
    return failure();
  int64_t rank = shape->size();
  int64_t axis = g.attrInt(node, "axis").value_or(0);
  if (axis < -rank || axis >= rank)
    return g.fail("axis out of range");
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1, extent = (*shape)[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= (*shape)[d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= (*shape)[d];
  OnnxConstant rows;
  rows.dtype = onnx::TensorProto_DataType_INT32;
  int64_t count = indices.numElements();
  if (count == 0)
    return g.fail("the indices are empty");
  rows.shape = {outer, count};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices.ints) {
      if (index < -extent || index >= extent)
        return g.fail("index " + Twine(index) + " out of range");
      rows.ints.push_back(index < 0 ? index + extent : index);
    }
  FailureOr<Value> x = g.valueInput(node, 0);
  if (failed(x))
    return failure();
  OpBuilder &b = g.builder();
  Value gathered = tosa::GatherOp::create(
      b, g.loc(),
      RankedTensorType::get({outer, count, inner}, outType->getElementType()),
      g.reshape(*x, {outer, extent, inner}), g.materialize(rows));
  g.setOutput(node, 0, g.reshape(gathered, outType->getShape()));
  return success();
}

static LogicalResult importGather(GraphImporter &g,
                                  const onnx::NodeProto &node) {
  const OnnxConstant *data = g.constantInput(node, 0);
  const OnnxConstant *indices = g.constantInput(node, 1);
  if (!indices || indices->isFloat())
    return g.fail("indices must be an integer constant");
  if (!data)
    return importGatherValue(g, node, *indices);
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

/// An integer constant input, or failure naming the parameter.
static FailureOr<std::vector<int64_t>> intsInput(GraphImporter &g,
                                                 const onnx::NodeProto &node,
                                                 int i, StringRef what) {
  const OnnxConstant *c = g.constantInput(node, i);
  if (!c || c->isFloat())
    return g.fail(what + " ('" + node.input(i) +
                  "') must be an integer constant; prom compiles "
                  "static shapes");
  return c->ints;
}

namespace {
/// What Slice takes from one axis: `count` positions from `start` by
/// `step`.
struct AxisSlice {
  int64_t start, step, count;
};
} // namespace

/// Slice's parameters (attributes before opset 10, inputs after) resolved
/// against `shape` as ONNX clamps them; one entry per dimension.
static FailureOr<std::vector<AxisSlice>> readSlice(GraphImporter &g,
                                                   const onnx::NodeProto &node,
                                                   ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (g.opset() < 10) {
    starts = g.attrInts(node, "starts").value_or(std::vector<int64_t>());
    ends = g.attrInts(node, "ends").value_or(std::vector<int64_t>());
    axes = g.attrInts(node, "axes").value_or(std::vector<int64_t>());
  } else {
    FailureOr<std::vector<int64_t>> s = intsInput(g, node, 1, "starts");
    if (failed(s))
      return failure();
    FailureOr<std::vector<int64_t>> e = intsInput(g, node, 2, "ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    for (int i : {3, 4}) {
      if (!g.hasInput(node, i))
        continue;
      FailureOr<std::vector<int64_t>> v =
          intsInput(g, node, i, i == 3 ? "axes" : "steps");
      if (failed(v))
        return failure();
      (i == 3 ? axes : steps) = *v;
    }
  }
  if (axes.empty())
    for (size_t d = 0; d < starts.size(); ++d)
      axes.push_back(d);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return g.fail("starts, ends, axes and steps must have one entry each");

  std::vector<AxisSlice> result;
  for (int64_t d = 0; d < rank; ++d)
    result.push_back({0, 1, shape[d]});
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (axis < 0 || axis >= rank || seen[axis])
      return g.fail("axis " + Twine(axes[i]) + " is out of range or repeated");
    seen[axis] = true;
    int64_t dim = shape[axis], step = steps[i];
    if (step == 0)
      return g.fail("a step is 0");
    int64_t start = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t end = ends[i] < 0 ? ends[i] + dim : ends[i];
    int64_t count;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      count = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      count = start > end ? (start - end - step - 1) / -step : 0;
    }
    result[axis] = {start, step, count};
  }
  return result;
}

/// Slice of an import-time constant (shape arithmetic) on the host, of a
/// run-time value with tosa.slice; a step other than 1 reverses (negative)
/// and then keeps every step-th row of a padded reshape.
static LogicalResult importSlice(GraphImporter &g,
                                 const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> shape = g.inputShape(node, 0);
  if (failed(shape))
    return failure();
  FailureOr<std::vector<AxisSlice>> slices = readSlice(g, node, *shape);
  if (failed(slices))
    return failure();
  int64_t rank = shape->size();
  if (llvm::any_of(*slices, [](const AxisSlice &s) { return s.count == 0; }))
    return g.fail("the result is empty");

  if (const OnnxConstant *c = g.constantInput(node, 0)) {
    OnnxConstant out;
    out.dtype = c->dtype;
    for (const AxisSlice &s : *slices)
      out.shape.push_back(s.count);
    std::vector<int64_t> strides(rank, 1), index(rank, 0);
    for (int64_t d = rank - 1; d > 0; --d)
      strides[d - 1] = strides[d] * (*shape)[d];
    for (int64_t i = 0, n = out.numElements(); i < n; ++i) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d)
        src += ((*slices)[d].start + index[d] * (*slices)[d].step) * strides[d];
      if (c->isFloat())
        out.floats.push_back(c->floats[src]);
      else
        out.ints.push_back(c->ints[src]);
      for (int64_t d = rank; d-- > 0;) {
        if (++index[d] < out.shape[d])
          break;
        index[d] = 0;
      }
    }
    g.setConstantOutput(node, 0, std::move(out));
    return success();
  }

  FailureOr<Value> x = g.valueInput(node, 0);
  if (failed(x))
    return failure();
  OpBuilder &b = g.builder();
  Value v = *x;
  auto typeOf = [&](ArrayRef<int64_t> dims) {
    return RankedTensorType::get(dims, b.getF32Type());
  };
  SmallVector<int64_t> dims(shape->begin(), shape->end());
  for (int64_t d = 0; d < rank; ++d) {
    AxisSlice s = (*slices)[d];
    if (s.step < 0) {
      v = tosa::ReverseOp::create(b, g.loc(), typeOf(dims), v,
                                  b.getI32IntegerAttr(d));
      s = {dims[d] - 1 - s.start, -s.step, s.count};
    }
    if (s.step == 1 && s.start == 0 && s.count == dims[d])
      continue;
    // The rows from `start` that the positions read, padded up to
    // count * step, reshaped to [count, step], column 0.
    int64_t span = (s.count - 1) * s.step + 1;
    SmallVector<int64_t> start(rank, 0), size(dims);
    start[d] = s.start;
    size[d] = span;
    v = tosa::SliceOp::create(b, g.loc(), typeOf(size), v, g.constShape(start),
                              g.constShape(size));
    dims = size;
    if (s.step == 1)
      continue;
    SmallVector<int64_t> padding(2 * rank, 0);
    padding[2 * d + 1] = s.count * s.step - span;
    dims[d] = s.count * s.step;
    v = tosa::PadOp::create(b, g.loc(), typeOf(dims), v, g.constShape(padding));
    SmallVector<int64_t> split(dims);
    split[d] = s.count;
    split.insert(split.begin() + d + 1, s.step);
    v = g.reshape(v, split);
    SmallVector<int64_t> first(split), origin(split.size(), 0);
    first[d + 1] = 1;
    v = tosa::SliceOp::create(b, g.loc(), typeOf(first), v,
                              g.constShape(origin), g.constShape(first));
    dims[d] = s.count;
    v = g.reshape(v, dims);
  }
  g.setOutput(node, 0, v);
  return success();
}

/// Cast of a constant converts on the host (truncating toward zero to
/// integers, as C does); at run time prom's values are f32, so only a cast
/// to float is accepted.
static LogicalResult importCast(GraphImporter &g, const onnx::NodeProto &node) {
  int64_t to = g.attrInt(node, "to").value_or(0);
  if (const OnnxConstant *c = g.constantInput(node, 0)) {
    OnnxConstant out;
    out.shape = c->shape;
    out.dtype = int32_t(to);
    switch (to) {
    case onnx::TensorProto_DataType_FLOAT:
    case onnx::TensorProto_DataType_DOUBLE:
    case onnx::TensorProto_DataType_FLOAT16:
      out.dtype = onnx::TensorProto_DataType_FLOAT;
      for (int64_t i = 0, n = c->numElements(); i < n; ++i)
        out.floats.push_back(float(c->at(i)));
      break;
    case onnx::TensorProto_DataType_INT64:
    case onnx::TensorProto_DataType_INT32:
    case onnx::TensorProto_DataType_INT8:
    case onnx::TensorProto_DataType_UINT8:
    case onnx::TensorProto_DataType_BOOL:
      for (int64_t i = 0, n = c->numElements(); i < n; ++i) {
        double v = c->at(i);
        int64_t x = to == onnx::TensorProto_DataType_BOOL ? v != 0 : int64_t(v);
        if (to == onnx::TensorProto_DataType_INT32)
          x = int32_t(x);
        else if (to == onnx::TensorProto_DataType_INT8)
          x = int8_t(x);
        else if (to == onnx::TensorProto_DataType_UINT8)
          x = uint8_t(x);
        out.ints.push_back(x);
      }
      break;
    default:
      return g.fail(
          "cast to " +
          onnx::TensorProto_DataType_Name(onnx::TensorProto_DataType(to)) +
          " is not supported");
    }
    g.setConstantOutput(node, 0, std::move(out));
    return success();
  }
  if (to != onnx::TensorProto_DataType_FLOAT)
    return g.fail("only casts to float are supported on run-time values "
                  "(prom computes in f32)");
  g.aliasOutput(node, 0, 0);
  return success();
}

/// Edge and reflect padding of `x` along `axis`: the rows copied (edge:
/// the first or last row repeated; reflect: the rows next to it, mirrored)
/// concatenated on either side.
static Value padBorders(GraphImporter &g, Value x, int64_t axis, int64_t begin,
                        int64_t end, bool reflect) {
  OpBuilder &b = g.builder();
  auto type = cast<RankedTensorType>(x.getType());
  int64_t dim = type.getDimSize(axis);
  auto rows = [&](int64_t first, int64_t count) {
    SmallVector<int64_t> start(type.getRank(), 0), size(type.getShape());
    start[axis] = first;
    size[axis] = count;
    return tosa::SliceOp::create(b, g.loc(), type.clone(size), x,
                                 g.constShape(start), g.constShape(size))
        .getResult();
  };
  auto border = [&](int64_t count, bool atStart) -> Value {
    Value v;
    if (reflect) {
      v = rows(atStart ? 1 : dim - 1 - count, count);
      return tosa::ReverseOp::create(b, g.loc(), v.getType(), v,
                                     b.getI32IntegerAttr(axis));
    }
    v = rows(atStart ? 0 : dim - 1, 1);
    SmallVector<int64_t> multiples(type.getRank(), 1), size(type.getShape());
    multiples[axis] = count;
    size[axis] = count;
    return tosa::TileOp::create(b, g.loc(), type.clone(size), v,
                                g.constShape(multiples));
  };
  SmallVector<Value> parts;
  if (begin)
    parts.push_back(border(begin, true));
  parts.push_back(x);
  if (end)
    parts.push_back(border(end, false));
  if (parts.size() == 1)
    return x;
  SmallVector<int64_t> size(type.getShape());
  size[axis] += begin + end;
  return tosa::ConcatOp::create(b, g.loc(), type.clone(size), parts,
                                b.getI32IntegerAttr(axis));
}

/// Pad: tosa.pad in constant mode; slices, reverses or tiles and concats
/// in edge and reflect modes. In NHWC for feature maps.
static LogicalResult importPad(GraphImporter &g, const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> shape = g.inputShape(node, 0);
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  std::string mode = g.attrString(node, "mode").value_or("constant");
  if (mode != "constant" && mode != "edge" && mode != "reflect")
    return g.fail("mode '" + mode +
                  "' is not supported (constant, edge, "
                  "reflect)");
  std::vector<int64_t> pads;
  float value = 0.0f;
  if (g.opset() < 11) {
    pads = g.attrInts(node, "pads").value_or(std::vector<int64_t>());
    value = g.attrFloat(node, "value").value_or(0.0f);
  } else {
    FailureOr<std::vector<int64_t>> p = intsInput(g, node, 1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (g.hasInput(node, 2)) {
      const OnnxConstant *c = g.constantInput(node, 2);
      if (!c || !c->isFloat() || c->numElements() != 1)
        return g.fail("constant_value must be a float constant scalar");
      value = c->floats[0];
    }
    if (g.hasInput(node, 3))
      return g.fail("the axes input is not supported");
  }
  if (int64_t(pads.size()) != 2 * rank)
    return g.fail("pads must have " + Twine(2 * rank) + " entries");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return g.fail("negative pads are not supported");
  Layout layout = rank == 4 ? g.layoutOf(node, 0) : Layout::Onnx;
  FailureOr<Value> x = g.valueInput(node, 0, layout);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(x) || failed(outType))
    return failure();
  SmallVector<int64_t> padding;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t onnxAxis = layout == Layout::NHWC ? kToNHWC[d] : d;
    padding.append({pads[onnxAxis], pads[rank + onnxAxis]});
  }
  if (mode != "constant") {
    Value v = *x;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t dim = cast<RankedTensorType>(v.getType()).getDimSize(d);
      if (mode == "reflect" &&
          std::max(padding[2 * d], padding[2 * d + 1]) >= dim)
        return g.fail("reflect pads must be smaller than the dimension");
      v = padBorders(g, v, d, padding[2 * d], padding[2 * d + 1],
                     mode == "reflect");
    }
    g.setOutput(node, 0, v, layout);
    return success();
  }
  Type type = layout == Layout::NHWC
                  ? RankedTensorType::get(toNHWC(outType->getShape()),
                                          outType->getElementType())
                  : Type(*outType);
  OpBuilder &b = g.builder();
  auto scalarType = RankedTensorType::get({1}, b.getF32Type());
  Value padValue = tosa::ConstOp::create(
      b, g.loc(), scalarType,
      DenseElementsAttr::get(scalarType, ArrayRef<float>{value}));
  Value result = tosa::PadOp::create(b, g.loc(), type, *x,
                                     g.constShape(padding), padValue);
  g.setOutput(node, 0, result, layout);
  return success();
}

/// Expand: numpy broadcasting to a constant shape, by tosa.tile.
static LogicalResult importExpand(GraphImporter &g,
                                  const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> shape = g.inputShape(node, 0);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(shape) || failed(outType))
    return failure();
  if (failed(intsInput(g, node, 1, "shape")))
    return failure();
  ArrayRef<int64_t> out = outType->getShape();
  std::vector<int64_t> full(out.size() - shape->size(), 1);
  full.insert(full.end(), shape->begin(), shape->end());
  SmallVector<int64_t> multiples;
  for (auto [from, to] : llvm::zip(full, out))
    multiples.push_back(from == to ? 1 : to);
  FailureOr<Value> x = g.valueInput(node, 0);
  if (failed(x))
    return failure();
  Value v = g.reshape(*x, full);
  if (llvm::any_of(multiples, [](int64_t m) { return m != 1; }))
    v = tosa::TileOp::create(g.builder(), g.loc(), *outType, v,
                             g.constShape(multiples));
  g.setOutput(node, 0, v);
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
  table["Slice"] = importSlice;
  table["Cast"] = importCast;
  table["Pad"] = importPad;
  table["Expand"] = importExpand;
}
