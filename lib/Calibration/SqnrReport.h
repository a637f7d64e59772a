//===- SqnrReport.h - quantized vs float, point by point --------*- C++ -*-===//

#ifndef PROM_LIB_CALIBRATION_SQNRREPORT_H
#define PROM_LIB_CALIBRATION_SQNRREPORT_H

#include "Prom/Calibration/Observer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir {
namespace prom {

/// Quantizes a copy of `fn`'s module (prom-quantize, prom-qdq-to-integer;
/// `fn` carries its plan and ranges), runs it and `floatRun` (calibration's
/// observer of `fn`: its results, then `points`) on `samples`, and writes
/// the SQNR of each of `points` and each result of `fn` to `path` as JSON.
llvm::Error writeSqnrReport(func::FuncOp fn, ArrayRef<Value> points,
                            Observer &floatRun, ArrayRef<HostTensor> samples,
                            StringRef path);

} // namespace prom
} // namespace mlir

#endif // PROM_LIB_CALIBRATION_SQNRREPORT_H
