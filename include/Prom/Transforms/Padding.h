//===- Padding.h - spatial padding of NHWC feature maps ---------*- C++ -*-===//
//
// Convolutions and pools read a feature map padded by [top, bottom, left,
// right]; the reference lowering pads with the input zero point, HASTE with
// zero. One helper builds that tensor.pad.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_TRANSFORMS_PADDING_H
#define PROM_TRANSFORMS_PADDING_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Value.h"

namespace mlir {
namespace prom {

/// `input` (a static NHWC tensor) padded in H and W by `pad` = [top,
/// bottom, left, right] with the constant `padValue`; `input` itself (and no
/// new op) when `pad` is all 0.
Value padFeatureMap(OpBuilder &b, Location loc, Value input,
                    ArrayRef<int64_t> pad, TypedAttr padValue);

} // namespace prom
} // namespace mlir

#endif // PROM_TRANSFORMS_PADDING_H
