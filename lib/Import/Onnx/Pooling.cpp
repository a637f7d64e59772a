//===- Pooling.cpp - GlobalAveragePool, AveragePool, MaxPool --------------===//

#include "GraphImporter.h"
#include "Window.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

/// Common set-up: NHWC input, window, output type; rejects what TOSA's
/// pooling cannot express.
struct PoolParts {
  Value input;
  Window window;
  RankedTensorType type; // NHWC
  bool ceilMode;
};

static FailureOr<PoolParts> readPool(GraphImporter &g,
                                     const onnx::NodeProto &node) {
  std::optional<std::vector<int64_t>> kernel = g.attrInts(node, "kernel_shape");
  if (!kernel || kernel->size() != 2)
    return g.fail("needs a 2-D kernel_shape");
  if (auto dilations = g.attrInts(node, "dilations"))
    for (int64_t d : *dilations)
      if (d != 1)
        return g.fail("dilated pooling is not supported");
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(in) || failed(outType))
    return failure();
  if (in->size() != 4)
    return g.fail("expects a rank-4 NCHW input");
  FailureOr<Window> w = readWindow(g, node, {(*in)[2], (*in)[3]}, *kernel);
  FailureOr<Value> x = g.valueInput(node, 0, Layout::NHWC);
  if (failed(w) || failed(x))
    return failure();
  return PoolParts{*x, *w,
                   RankedTensorType::get(toNHWC(outType->getShape()),
                                         outType->getElementType()),
                   g.attrInt(node, "ceil_mode").value_or(0) != 0};
}

/// ceil_mode: the last window may run past the end padding; pad the end
/// further so that it exists (max pooling ignores the extra positions,
/// average pooling does not count them). The output must then have the
/// size ONNX's shape inference gave it.
static LogicalResult padForCeilMode(GraphImporter &g, PoolParts &p) {
  if (!p.ceilMode)
    return success();
  auto type = cast<RankedTensorType>(p.input.getType());
  Window &w = p.window;
  for (int d = 0; d < 2; ++d) {
    int64_t span = type.getDimSize(1 + d) - 1 + w.pad[2 * d] +
                   w.pad[2 * d + 1] - (w.kernel[d] - 1);
    int64_t extra = (w.stride[d] - span % w.stride[d]) % w.stride[d];
    if (w.pad[2 * d + 1] + extra >= w.kernel[d])
      return g.fail("ceil_mode = 1 with a window that would hold only "
                    "padding is not supported");
    w.pad[2 * d + 1] += extra;
    if ((span + extra) / w.stride[d] + 1 != p.type.getDimSize(1 + d))
      return g.fail("ceil_mode = 1: the output size differs from ONNX's");
  }
  return success();
}

static LogicalResult importAveragePool(GraphImporter &g,
                                       const onnx::NodeProto &node) {
  FailureOr<PoolParts> p = readPool(g, node);
  if (failed(p))
    return failure();
  OpBuilder &b = g.builder();
  Value input = p->input;
  // TOSA divides by the positions inside the input; counting the padding
  // means padding explicitly with zeros first.
  if (g.attrInt(node, "count_include_pad").value_or(0) &&
      llvm::any_of(p->window.pad, [](int64_t v) { return v != 0; })) {
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[1] += p->window.pad[0] + p->window.pad[1];
    shape[2] += p->window.pad[2] + p->window.pad[3];
    input = tosa::PadOp::create(
        b, g.loc(), RankedTensorType::get(shape, type.getElementType()), input,
        g.constShape({0, 0, p->window.pad[0], p->window.pad[1],
                      p->window.pad[2], p->window.pad[3], 0, 0}));
    p->window.pad = {0, 0, 0, 0};
  }
  p->input = input;
  if (failed(padForCeilMode(g, *p)))
    return failure();
  input = fitWindows(g, input, p->window);
  Value result = tosa::AvgPool2dOp::create(
      b, g.loc(), p->type, input, b.getDenseI64ArrayAttr(p->window.kernel),
      b.getDenseI64ArrayAttr(p->window.stride),
      b.getDenseI64ArrayAttr(p->window.pad), TypeAttr::get(b.getF32Type()));
  g.setOutput(node, 0, result, Layout::NHWC);
  return success();
}

static LogicalResult importMaxPool(GraphImporter &g,
                                   const onnx::NodeProto &node) {
  if (node.output_size() > 1 && !node.output(1).empty())
    return g.fail("the Indices output is not supported");
  FailureOr<PoolParts> p = readPool(g, node);
  if (failed(p) || failed(padForCeilMode(g, *p)))
    return failure();
  Value input = fitWindows(g, p->input, p->window);
  Value result = tosa::MaxPool2dOp::create(g.builder(), g.loc(), p->type, input,
                                           p->window.kernel, p->window.stride,
                                           p->window.pad);
  g.setOutput(node, 0, result, Layout::NHWC);
  return success();
}

static LogicalResult importGlobalAveragePool(GraphImporter &g,
                                             const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  if (failed(in))
    return failure();
  if (in->size() != 4)
    return g.fail("expects a rank-4 NCHW input");
  FailureOr<Value> x = g.valueInput(node, 0, Layout::NHWC);
  if (failed(x))
    return failure();
  OpBuilder &b = g.builder();
  auto type = RankedTensorType::get({(*in)[0], 1, 1, (*in)[1]}, b.getF32Type());
  Value result = tosa::AvgPool2dOp::create(
      b, g.loc(), type, *x, b.getDenseI64ArrayAttr({(*in)[2], (*in)[3]}),
      b.getDenseI64ArrayAttr({1, 1}), b.getDenseI64ArrayAttr({0, 0, 0, 0}),
      TypeAttr::get(b.getF32Type()));
  g.setOutput(node, 0, result, Layout::NHWC);
  return success();
}

void onnx_import::addPoolingImporters(ImporterTable &table) {
  table["AveragePool"] = importAveragePool;
  table["MaxPool"] = importMaxPool;
  table["GlobalAveragePool"] = importGlobalAveragePool;
}
