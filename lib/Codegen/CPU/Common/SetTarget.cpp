//===- SetTarget.cpp - the prom-set-target pass ---------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/TargetDescription.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMSETTARGET
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {
struct SetTargetPass : prom::impl::PromSetTargetBase<SetTargetPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (getTarget(module) && !override)
      return;
    llvm::Expected<TargetAttr> target =
        describeTarget(&getContext(), triple, cpu, features);
    if (!target) {
      mlir::emitError(module.getLoc())
          << "prom-set-target: " << llvm::toString(target.takeError());
      return signalPassFailure();
    }
    module->setAttr(kTargetAttrName, *target);
  }
};
} // namespace
