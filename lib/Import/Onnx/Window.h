//===- Window.h - spatial windows of Conv and pooling nodes -----*- C++ -*-===//

#ifndef PROM_LIB_IMPORT_ONNX_WINDOW_H
#define PROM_LIB_IMPORT_ONNX_WINDOW_H

#include "GraphImporter.h"

namespace mlir {
namespace prom {
namespace onnx_import {

/// Spatial geometry of a Conv or pooling node, pads in TOSA's order
/// [top, bottom, left, right].
struct Window {
  std::vector<int64_t> kernel, stride, dilation, pad;
};

/// Reads strides, dilations, pads and auto_pad; `in` is [H, W] and
/// `kernel` [Kh, Kw].
FailureOr<Window> readWindow(GraphImporter &g, const onnx::NodeProto &node,
                             llvm::ArrayRef<int64_t> in,
                             llvm::ArrayRef<int64_t> kernel);

/// TOSA wants (in - 1 + pads - (k - 1) * dilation) divisible by the stride;
/// ONNX rounds down. Rows and columns past the last window are unused:
/// drops them from the end padding, then from the NHWC input (tosa.slice).
Value fitWindows(GraphImporter &g, Value nhwc, Window &w);

} // namespace onnx_import
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_IMPORT_ONNX_WINDOW_H
