//===- Passes.h - prom passes that run the model ----------------*- C++ -*-===//

#ifndef PROM_CALIBRATION_PASSES_H
#define PROM_CALIBRATION_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace prom {

/// How `prom-calibrate` turns observed values into a range.
enum class CalibrationMethod { MinMax, Percentile };

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "Prom/Calibration/Passes.h.inc"

} // namespace prom
} // namespace mlir

#endif // PROM_CALIBRATION_PASSES_H
