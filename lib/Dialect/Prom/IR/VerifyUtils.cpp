//===- VerifyUtils.cpp - checks shared by prom op verifiers ---------------===//

#include "VerifyUtils.h"

#include "Prom/Utils/FixedPoint.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::detail;

LogicalResult prom::detail::verifyScale(Operation *op, StringRef name,
                                        float scale) {
  if (std::isfinite(scale) && scale > 0.0f)
    return success();
  return op->emitOpError() << "expects '" << name
                           << "' to be positive and finite, got " << scale;
}

LogicalResult prom::detail::verifyScales(Operation *op, StringRef name,
                                         ArrayRef<float> scales) {
  for (auto [i, scale] : llvm::enumerate(scales))
    if (!std::isfinite(scale) || scale <= 0.0f)
      return op->emitOpError() << "expects every value of '" << name
                               << "' to be positive and finite, got " << scale
                               << " at index " << i;
  return success();
}

LogicalResult prom::detail::verifyZeroPoint(Operation *op, StringRef name,
                                            int64_t zp) {
  if (zp >= kI8Min && zp <= kI8Max)
    return success();
  return op->emitOpError() << "expects '" << name << "' in [" << kI8Min << ", "
                           << kI8Max << "], got " << zp;
}

LogicalResult
prom::detail::verifyClamp(Operation *op,
                          std::optional<ArrayRef<int32_t>> clamp) {
  if (!clamp)
    return success();
  ArrayRef<int32_t> c = *clamp;
  if (c.size() != 2)
    return op->emitOpError()
           << "expects 'clamp' as [min, max], got " << c.size() << " elements";
  if (c[0] < kI8Min || c[1] > kI8Max || c[0] > c[1])
    return op->emitOpError() << "expects 'clamp' with " << kI8Min
                             << " <= min <= max <= " << kI8Max << ", got ["
                             << c[0] << ", " << c[1] << "]";
  return success();
}

LogicalResult prom::detail::verifyArray(Operation *op, StringRef name,
                                        ArrayRef<int64_t> values, size_t size,
                                        int64_t min) {
  if (values.size() != size)
    return op->emitOpError() << "expects '" << name << "' to have " << size
                             << " elements, got " << values.size();
  for (int64_t v : values)
    if (v < min)
      return op->emitOpError() << "expects every value of '" << name
                               << "' to be >= " << min << ", got " << v;
  return success();
}

LogicalResult prom::detail::verifyAxisCount(Operation *op, ShapedType type,
                                            size_t count,
                                            std::optional<int64_t> axis) {
  if (!axis) {
    if (count != 1)
      return op->emitOpError()
             << "expects one scale and zero point without 'axis', got "
             << count;
    return success();
  }
  int64_t a = *axis;
  if (!type.hasRank() || a < 0 || a >= type.getRank())
    return op->emitOpError()
           << "expects 'axis' to name a dimension of the ranked operand, got "
           << a;
  int64_t dim = type.getDimSize(a);
  if (!ShapedType::isDynamic(dim) && static_cast<int64_t>(count) != dim)
    return op->emitOpError() << "expects one scale per index of axis " << a
                             << " (" << dim << "), got " << count;
  return success();
}

LogicalResult prom::detail::verifyRequantization(
    Operation *op, float inputScale, int64_t inputZp,
    ArrayRef<float> weightScales, float outputScale, int64_t outputZp,
    std::optional<ArrayRef<int32_t>> clamp) {
  if (failed(verifyScale(op, "input_scale", inputScale)) ||
      failed(verifyScale(op, "output_scale", outputScale)) ||
      failed(verifyScales(op, "weight_scales", weightScales)) ||
      failed(verifyZeroPoint(op, "input_zp", inputZp)) ||
      failed(verifyZeroPoint(op, "output_zp", outputZp)) ||
      failed(verifyClamp(op, clamp)))
    return failure();
  for (auto [c, weightScale] : llvm::enumerate(weightScales)) {
    double scale = requantScale(inputScale, weightScale, outputScale);
    if (!computeFixedPointScale(scale))
      return op->emitOpError()
             << "expects input_scale * weight_scale / output_scale below 2^30, "
                "got "
             << scale << " for output channel " << c;
  }
  return success();
}
