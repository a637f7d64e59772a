//===- Observer.cpp - run a function and see its intermediate values ------===//

#include "Prom/Calibration/Observer.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::prom;

llvm::Expected<Observer>
Observer::create(func::FuncOp fn, ArrayRef<Value> values, unsigned optLevel) {
  auto makeError = [&](const Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + fn.getName() + "': " + message);
  };
  auto module = fn->getParentOfType<ModuleOp>();
  if (!module || !fn.getBody().hasOneBlock())
    return makeError("can only observe a single-block function in a module");

  IRMapping mapping;
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone(mapping)));
  auto copyFn = copy->lookupSymbol<func::FuncOp>(fn.getName());
  Operation *terminator = copyFn.getBody().front().getTerminator();
  SmallVector<Value> results(terminator->getOperands());
  for (Value v : values)
    results.push_back(mapping.lookup(v));
  terminator->setOperands(results);
  copyFn.setFunctionType(FunctionType::get(fn.getContext(),
                                           copyFn.getArgumentTypes(),
                                           ValueRange(results).getTypes()));
  copyFn.removeResAttrsAttr();

  auto jit = JitModule::compile(*copy, optLevel);
  if (!jit)
    return jit.takeError();
  Observer observer;
  observer.jit = std::move(*jit);
  observer.name = fn.getName().str();
  observer.numResults = fn.getNumResults();
  return observer;
}

llvm::Expected<SmallVector<HostTensor>>
Observer::run(ArrayRef<HostTensor> inputs) {
  return jit->call(name, inputs);
}
