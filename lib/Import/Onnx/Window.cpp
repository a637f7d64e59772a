//===- Window.cpp - spatial windows of Conv and pooling nodes -------------===//

#include "Window.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

/// Reads kernel_shape-independent attributes: strides, dilations, pads,
/// auto_pad. `in` is [H, W]; `kernel` [Kh, Kw].
FailureOr<Window> onnx_import::readWindow(GraphImporter &g,
                                          const onnx::NodeProto &node,
                                          ArrayRef<int64_t> in,
                                          ArrayRef<int64_t> kernel) {
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.stride = g.attrInts(node, "strides").value_or(std::vector<int64_t>{1, 1});
  w.dilation =
      g.attrInts(node, "dilations").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> pads =
      g.attrInts(node, "pads").value_or(std::vector<int64_t>{0, 0, 0, 0});
  if (w.stride.size() != 2 || w.dilation.size() != 2 || pads.size() != 4)
    return g.fail("only 2-D windows are supported (strides, dilations and "
                  "pads of 2, 2 and 4 values)");
  for (int64_t v : w.stride)
    if (v < 1)
      return g.fail("strides must be positive");
  for (int64_t v : w.dilation)
    if (v < 1)
      return g.fail("dilations must be positive");
  std::string autoPad = g.attrString(node, "auto_pad").value_or("NOTSET");
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t out = (in[d] + w.stride[d] - 1) / w.stride[d];
      int64_t total = std::max<int64_t>(
          (out - 1) * w.stride[d] + (kernel[d] - 1) * w.dilation[d] + 1 - in[d],
          0);
      int64_t small = total / 2;
      pads[d] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[d + 2] = total - pads[d];
    }
  } else if (autoPad == "VALID") {
    pads = {0, 0, 0, 0};
  } else if (autoPad != "NOTSET") {
    return g.fail("unsupported auto_pad '" + autoPad + "'");
  }
  for (int64_t v : pads)
    if (v < 0)
      return g.fail("pads must not be negative");
  // ONNX [top, left, bottom, right] -> TOSA [top, bottom, left, right].
  w.pad = {pads[0], pads[2], pads[1], pads[3]};
  return w;
}

/// TOSA wants (in - 1 + pads - (k - 1) * dilation) divisible by the stride;
/// ONNX rounds down. Rows and columns past the last window are unused:
/// drop them from the end padding, then from the input (a tosa.slice).
Value onnx_import::fitWindows(GraphImporter &g, Value nhwc, Window &w) {
  auto type = cast<RankedTensorType>(nhwc.getType());
  SmallVector<int64_t> size(type.getShape());
  bool slice = false;
  for (int d = 0; d < 2; ++d) {
    int64_t in = size[1 + d];
    int64_t &padEnd = w.pad[2 * d + 1];
    int64_t span =
        in - 1 + w.pad[2 * d] + padEnd - (w.kernel[d] - 1) * w.dilation[d];
    int64_t rem = span % w.stride[d];
    int64_t fromPad = std::min(rem, padEnd);
    padEnd -= fromPad;
    if (rem > fromPad) {
      size[1 + d] -= rem - fromPad;
      slice = true;
    }
  }
  if (!slice)
    return nhwc;
  return tosa::SliceOp::create(
      g.builder(), g.loc(), RankedTensorType::get(size, type.getElementType()),
      nhwc, g.constShape({0, 0, 0, 0}), g.constShape(size));
}
