//===- VerifyUtils.h - checks shared by prom op verifiers -------*- C++ -*-===//

#ifndef PROM_LIB_DIALECT_PROM_IR_VERIFYUTILS_H
#define PROM_LIB_DIALECT_PROM_IR_VERIFYUTILS_H

#include "mlir/IR/Operation.h"

#include <optional>

namespace mlir {
namespace prom {
namespace detail {

inline constexpr int64_t kI8Min = -128;
inline constexpr int64_t kI8Max = 127;

LogicalResult verifyScale(Operation *op, StringRef name, float scale);
LogicalResult verifyScales(Operation *op, StringRef name,
                           ArrayRef<float> scales);
LogicalResult verifyZeroPoint(Operation *op, StringRef name, int64_t zp);
LogicalResult verifyClamp(Operation *op,
                          std::optional<ArrayRef<int32_t>> clamp);
/// `values` has `size` elements, each >= `min`.
LogicalResult verifyArray(Operation *op, StringRef name,
                          ArrayRef<int64_t> values, size_t size, int64_t min);
/// `scales` has one entry, or one per index of `axis` of `type`.
LogicalResult verifyAxisCount(Operation *op, ShapedType type, size_t count,
                              std::optional<int64_t> axis);

/// Input/weight/output scales and zero points of an op that requantizes an
/// i32 accumulator per output channel; also that every channel's scale is
/// representable in fixed point.
LogicalResult verifyRequantization(Operation *op, float inputScale,
                                   int64_t inputZp,
                                   ArrayRef<float> weightScales,
                                   float outputScale, int64_t outputZp,
                                   std::optional<ArrayRef<int32_t>> clamp);

} // namespace detail
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_DIALECT_PROM_IR_VERIFYUTILS_H
