//===- Reduction.cpp - ReduceMean/Sum/Max/Min, Softmax, LogSoftmax --------===//
//
// Reductions become one TOSA reduction per axis (each keeps its axis as
// size 1). They run in the ONNX layout; a CNN's reductions sit after its
// feature maps, on small tensors.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <set>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

namespace {
enum class Reduce { Sum, Mean, Max, Min };
} // namespace

/// `x` reduced over each of `axes` (sorted, in range), keeping them as 1s.
static Value reduceAxes(GraphImporter &g, Value x, ArrayRef<int64_t> axes,
                        Reduce kind) {
  OpBuilder &b = g.builder();
  int64_t count = 1;
  for (int64_t axis : axes) {
    auto type = cast<RankedTensorType>(x.getType());
    count *= type.getDimSize(axis);
    SmallVector<int64_t> shape(type.getShape());
    shape[axis] = 1;
    auto resultType = RankedTensorType::get(shape, type.getElementType());
    IntegerAttr axisAttr = b.getI32IntegerAttr(axis);
    switch (kind) {
    case Reduce::Sum:
    case Reduce::Mean:
      x = tosa::ReduceSumOp::create(b, g.loc(), resultType, x, axisAttr);
      break;
    case Reduce::Max:
      x = tosa::ReduceMaxOp::create(b, g.loc(), resultType, x, axisAttr);
      break;
    case Reduce::Min:
      x = tosa::ReduceMinOp::create(b, g.loc(), resultType, x, axisAttr);
      break;
    }
  }
  if (kind == Reduce::Mean && count != 1)
    x = g.multiply(x,
                   g.scalar(1.0f / float(count),
                            cast<RankedTensorType>(x.getType()).getRank()),
                   x.getType());
  return x;
}

/// ReduceSum (opset 13 on) and every reduction from opset 18 take the axes
/// as an optional input; before, as an attribute. No axes: all of them,
/// unless noop_with_empty_axes.
static LogicalResult importReduce(GraphImporter &g, const onnx::NodeProto &node,
                                  Reduce kind) {
  FailureOr<std::vector<int64_t>> shape = g.inputShape(node, 0);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(shape) || failed(outType))
    return failure();
  int64_t rank = shape->size();
  bool axesAsInput =
      g.opset() >= 18 || (kind == Reduce::Sum && g.opset() >= 13);
  std::vector<int64_t> axes;
  if (axesAsInput) {
    if (g.hasInput(node, 1)) {
      const OnnxConstant *c = g.constantInput(node, 1);
      if (!c || c->isFloat())
        return g.fail("axes must be an integer constant");
      axes = c->ints;
    }
  } else {
    axes = g.attrInts(node, "axes").value_or(std::vector<int64_t>());
  }
  bool keepDims = g.attrInt(node, "keepdims").value_or(1);
  if (axes.empty() && g.attrInt(node, "noop_with_empty_axes").value_or(0)) {
    g.aliasOutput(node, 0, 0);
    return success();
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  std::set<int64_t> sorted;
  for (int64_t a : axes) {
    if (a < -rank || a >= rank)
      return g.fail("axis " + Twine(a) + " is out of range for rank " +
                    Twine(rank));
    sorted.insert(a < 0 ? a + rank : a);
  }
  axes.assign(sorted.begin(), sorted.end());

  FailureOr<Value> x = g.valueInput(node, 0);
  if (failed(x))
    return failure();
  if (rank == 0) {
    g.aliasOutput(node, 0, 0);
    return success();
  }
  Value y = reduceAxes(g, *x, axes, kind);
  if (!keepDims)
    y = g.reshape(y, outType->getShape());
  g.setOutput(node, 0, y);
  return success();
}

/// Softmax and LogSoftmax: before opset 13 over the input flattened to 2-D
/// at `axis` (default 1), from 13 over `axis` alone (default -1).
static LogicalResult importSoftmax(GraphImporter &g,
                                   const onnx::NodeProto &node, bool log) {
  FailureOr<std::vector<int64_t>> shape = g.inputShape(node, 0);
  FailureOr<Value> x = g.valueInput(node, 0);
  if (failed(shape) || failed(x))
    return failure();
  int64_t rank = shape->size();
  bool coerce = g.opset() < 13;
  int64_t axis = g.attrInt(node, "axis").value_or(coerce ? 1 : -1);
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1) + (coerce ? 1 : 0))
    return g.fail("axis " + Twine(axis) + " is out of range for rank " +
                  Twine(rank));
  if (axis < 0)
    axis += rank;
  Value in = *x;
  if (coerce) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d)
      (d < axis ? outer : inner) *= (*shape)[d];
    in = g.reshape(in, {outer, inner});
    axis = 1;
  }
  OpBuilder &b = g.builder();
  Type type = in.getType();
  // exp(x - max) keeps exp in range; the max cancels out.
  Value max = reduceAxes(g, in, {axis}, Reduce::Max);
  Value shifted = tosa::SubOp::create(b, g.loc(), type, in, max);
  Value exp = tosa::ExpOp::create(b, g.loc(), type, shifted);
  Value sum = reduceAxes(g, exp, {axis}, Reduce::Sum);
  Value y;
  if (log)
    y = tosa::SubOp::create(
        b, g.loc(), type, shifted,
        tosa::LogOp::create(b, g.loc(), sum.getType(), sum).getResult());
  else
    y = g.multiply(
        exp, tosa::ReciprocalOp::create(b, g.loc(), sum.getType(), sum), type);
  g.setOutput(node, 0, g.reshape(y, *shape));
  return success();
}

void onnx_import::addReductionImporters(ImporterTable &table) {
  table["ReduceSum"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importReduce(g, n, Reduce::Sum);
  };
  table["ReduceMean"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importReduce(g, n, Reduce::Mean);
  };
  table["ReduceMax"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importReduce(g, n, Reduce::Max);
  };
  table["ReduceMin"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importReduce(g, n, Reduce::Min);
  };
  table["Softmax"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importSoftmax(g, n, /*log=*/false);
  };
  table["LogSoftmax"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importSoftmax(g, n, /*log=*/true);
  };
}
