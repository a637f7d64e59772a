//===- CalibrationInputs.h - the inputs passes run the model on -*- C++ -*-===//

#ifndef PROM_LIB_CALIBRATION_CALIBRATIONINPUTS_H
#define PROM_LIB_CALIBRATION_CALIBRATIONINPUTS_H

#include "Prom/Execution/JitModule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir {
namespace prom {

/// Inputs for `fn`, which must take one static f32 tensor: every .npy file
/// in `dir` (in name order; one input per file, or several stacked along a
/// batch dimension of 1), or, when `dir` is empty, `samples` pseudo-random
/// N(0, 1) inputs from `seed` with a warning. Errors are reported on `fn`,
/// prefixed with `passName`.
FailureOr<std::vector<HostTensor>>
getCalibrationInputs(func::FuncOp fn, StringRef dir, unsigned samples,
                     unsigned seed, StringRef passName);

} // namespace prom
} // namespace mlir

#endif // PROM_LIB_CALIBRATION_CALIBRATIONINPUTS_H
