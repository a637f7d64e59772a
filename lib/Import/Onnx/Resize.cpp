//===- Resize.cpp - Resize onto tosa.resize -------------------------------===//
//
// tosa.resize maps output row y to input coordinate (y * d + offset) / n
// with integers n, d, offset, and rounds nearest-neighbour positions half
// up. Each ONNX coordinate transformation is such an affine map once the
// scale is a ratio; ONNX's other rounding modes become an offset with n
// and d doubled.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

namespace {
/// One axis of tosa.resize: input coordinate = (y * d + offset) / n.
struct AxisMap {
  int64_t n, d, offset;
};
} // namespace

/// The ratio closest to `scale` with a denominator of at most 1024 (the
/// continued fraction's last convergent in range). Exact for the ratios of
/// small integers that models use.
static std::pair<int64_t, int64_t> toRatio(double scale) {
  int64_t p0 = 0, q0 = 1, p1 = 1, q1 = 0;
  double x = scale;
  for (int i = 0; i < 32; ++i) {
    double a = std::floor(x);
    int64_t p2 = int64_t(a) * p1 + p0, q2 = int64_t(a) * q1 + q0;
    if (q2 > 1024)
      break;
    p0 = p1, q0 = q1, p1 = p2, q1 = q2;
    if (x - a < 1e-9 ||
        std::abs(double(p1) / double(q1) - scale) < 1e-7 * scale)
      break;
    x = 1.0 / (x - a);
  }
  return {p1, q1};
}

/// The map of one axis of `in` positions resized to `out` by the ratio
/// num/den (out / in when the model gives sizes). `length` is the resized
/// length align_corners divides by: `out`, or in * scale when the model
/// gives scales.
static FailureOr<AxisMap> axisMap(GraphImporter &g, StringRef transform,
                                  int64_t in, int64_t out, int64_t num,
                                  int64_t den, double length) {
  if (transform == "asymmetric")
    return AxisMap{num, den, 0};
  if (transform == "half_pixel" ||
      (transform == "pytorch_half_pixel" && out > 1))
    return AxisMap{2 * num, 2 * den, den - num};
  if (transform == "pytorch_half_pixel")
    return AxisMap{num, den, 0}; // one output, at coordinate 0
  if (transform == "align_corners") {
    if (out == 1 || in == 1 || length <= 1.0)
      return AxisMap{num, den, 0}; // every coordinate reads position 0
    if (length == double(out))
      return AxisMap{out - 1, in - 1, 0};
    auto [n, d] = toRatio((length - 1.0) / double(in - 1));
    return AxisMap{n, d, 0};
  }
  if (transform == "tf_half_pixel_for_nn")
    return AxisMap{2 * num, 2 * den, den};
  return g.fail("coordinate_transformation_mode '" + transform +
                "' is not supported");
}

/// tosa.resize rounds half up; the other nearest modes shift the
/// coordinate by a fraction of a step (n and d doubled to express it).
static FailureOr<AxisMap> withRounding(GraphImporter &g, AxisMap m,
                                       StringRef rounding) {
  AxisMap doubled{2 * m.n, 2 * m.d, 2 * m.offset};
  if (rounding == "round_prefer_ceil")
    return m;
  if (rounding == "round_prefer_floor")
    doubled.offset -= 1;
  else if (rounding == "floor")
    doubled.offset -= m.n;
  else if (rounding == "ceil")
    doubled.offset += m.n - 2;
  else
    return g.fail("nearest_mode '" + rounding + "' is not supported");
  return doubled;
}

/// The output shape from constant sizes, or else constant scales (each
/// dimension rounded down).
static FailureOr<std::vector<int64_t>> resizedShape(GraphImporter &g,
                                                    const onnx::NodeProto &node,
                                                    ArrayRef<int64_t> in) {
  int scalesInput = g.opset() < 11 ? 1 : 2;
  if (g.opset() >= 11 && g.hasInput(node, 3)) {
    const OnnxConstant *sizes = g.constantInput(node, 3);
    if (!sizes || sizes->isFloat() ||
        sizes->numElements() != int64_t(in.size()))
      return g.fail("sizes must be a constant of " + Twine(in.size()) +
                    " integers");
    return sizes->ints;
  }
  const OnnxConstant *scales = g.constantInput(node, scalesInput);
  if (!scales || !scales->isFloat() ||
      scales->numElements() != int64_t(in.size()))
    return g.fail("scales must be a constant of " + Twine(in.size()) +
                  " floats");
  std::vector<int64_t> out;
  for (auto [d, s] : llvm::zip(in, scales->floats)) {
    double size = std::floor(double(d) * double(s));
    if (!(size >= 1 && size < double(int64_t(1) << 31)))
      return g.fail("scales give an output of " + std::to_string(size) +
                    " positions");
    out.push_back(int64_t(size));
  }
  return out;
}

static LogicalResult importResize(GraphImporter &g,
                                  const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> inShape = g.inputShape(node, 0);
  if (failed(inShape))
    return failure();
  if (inShape->size() != 4)
    return g.fail("only rank-4 (NCHW) inputs are supported");
  bool opset10 = g.opset() < 11;
  if (!g.hasOutputShape(node, 0)) {
    // Sizes that only fold here (Concat(Slice(Shape(x)), ...), as PyTorch
    // exports interpolate) leave the output unknown to shape inference.
    FailureOr<std::vector<int64_t>> out = resizedShape(g, node, *inShape);
    if (failed(out))
      return failure();
    g.learnOutputShape(node, 0, *out);
  }
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(outType))
    return failure();
  ArrayRef<int64_t> outShape = outType->getShape();
  if ((*inShape)[0] != outShape[0] || (*inShape)[1] != outShape[1])
    return g.fail("only the height and width can be resized");

  std::string mode = g.attrString(node, "mode").value_or("nearest");
  std::string transform =
      opset10 ? "asymmetric"
              : g.attrString(node, "coordinate_transformation_mode")
                    .value_or("half_pixel");
  std::string rounding =
      opset10
          ? "floor"
          : g.attrString(node, "nearest_mode").value_or("round_prefer_floor");
  if (mode != "nearest" && mode != "linear")
    return g.fail("mode '" + mode + "' is not supported (nearest, linear)");
  if (g.attrInt(node, "antialias").value_or(0))
    return g.fail("antialias is not supported");
  if (g.attrInts(node, "axes"))
    return g.fail("the axes attribute is not supported");

  // The scales, if the model gives them, define the coordinates; sizes
  // only the output, whose shape inference already knows.
  int scalesInput = opset10 ? 1 : 2;
  const OnnxConstant *scales = nullptr;
  if (g.hasInput(node, scalesInput)) {
    scales = g.constantInput(node, scalesInput);
    if (!scales)
      return g.fail("scales must be a constant");
    if (scales->numElements() == 0)
      scales = nullptr;
    else if (!scales->isFloat() || scales->numElements() != 4)
      return g.fail("scales must hold 4 floats");
  }
  if (!scales && !opset10 && g.hasInput(node, 3) && !g.constantInput(node, 3))
    return g.fail("sizes must be a constant");

  int64_t values[2][3]; // per axis: n, d, offset
  for (int axis = 0; axis < 2; ++axis) {
    int64_t in = (*inShape)[2 + axis], out = outShape[2 + axis];
    int64_t num = out, den = in;
    double length = double(out);
    if (scales) {
      double s = scales->floats[2 + axis];
      if (!(s > 0))
        return g.fail("scales must be positive");
      if (double(out) / double(in) != s)
        std::tie(num, den) = toRatio(s);
      length = double(in) * s;
    }
    if (num <= 0 || den <= 0 || out <= 0)
      return g.fail("the scale of axis " + Twine(2 + axis) +
                    " leaves no output or is not a ratio of integers up to "
                    "1024");
    FailureOr<AxisMap> m = axisMap(g, transform, in, out, num, den, length);
    if (succeeded(m) && mode == "nearest")
      m = withRounding(g, *m, rounding);
    if (failed(m))
      return failure();
    values[axis][0] = m->n;
    values[axis][1] = m->d;
    values[axis][2] = m->offset;
  }

  FailureOr<Value> x = g.valueInput(node, 0, Layout::NHWC);
  if (failed(x))
    return failure();
  // TOSA's border closes the map: the last output row's coordinate.
  int64_t border[2];
  for (int axis = 0; axis < 2; ++axis)
    border[axis] = (outShape[2 + axis] - 1) * values[axis][1] -
                   ((*inShape)[2 + axis] - 1) * values[axis][0] +
                   values[axis][2];
  auto type =
      RankedTensorType::get(toNHWC(outShape), outType->getElementType());
  Value result = tosa::ResizeOp::create(
      g.builder(), g.loc(), type, *x,
      g.constShape({values[0][0], values[0][1], values[1][0], values[1][1]}),
      g.constShape({values[0][2], values[1][2]}),
      g.constShape({border[0], border[1]}),
      mode == "nearest" ? tosa::ResizeMode::NEAREST_NEIGHBOR
                        : tosa::ResizeMode::BILINEAR);
  g.setOutput(node, 0, result, Layout::NHWC);
  return success();
}

void onnx_import::addResizeImporters(ImporterTable &table) {
  table["Resize"] = importResize;
  // Upsample (opsets 7-9) is opset 10's Resize: asymmetric, floor.
  table["Upsample"] = importResize;
}
