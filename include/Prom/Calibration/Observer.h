//===- Observer.h - run a function and see its intermediate values -*- C++
//-*-===//
//
// Calibration and the SQNR report need the values of intermediate tensors
// on real inputs. An Observer compiles a copy of the module in which the
// function also returns the values of interest, and runs it.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CALIBRATION_OBSERVER_H
#define PROM_CALIBRATION_OBSERVER_H

#include "Prom/Execution/JitModule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir {
namespace prom {

class Observer {
public:
  /// Compiles a copy of `fn`'s module, at LLVM `optLevel`, in which `fn`
  /// returns its results followed by `values` (tensors defined in `fn`'s
  /// body or arguments).
  static llvm::Expected<Observer>
  create(func::FuncOp fn, ArrayRef<Value> values, unsigned optLevel = 2);

  /// Runs the function: its results, then the observed values, in order.
  llvm::Expected<SmallVector<HostTensor>> run(ArrayRef<HostTensor> inputs);

  unsigned getNumResults() const { return numResults; }

private:
  std::shared_ptr<JitModule> jit;
  std::string name;
  unsigned numResults = 0;
};

} // namespace prom
} // namespace mlir

#endif // PROM_CALIBRATION_OBSERVER_H
