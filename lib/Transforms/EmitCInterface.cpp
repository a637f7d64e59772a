//===- EmitCInterface.cpp - C entry points for public functions -----------===//

#include "Prom/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMEMITCINTERFACE
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;

namespace {
struct EmitCInterfacePass
    : prom::impl::PromEmitCInterfaceBase<EmitCInterfacePass> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (fn.isPublic() && !fn.isExternal())
        fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    UnitAttr::get(&getContext()));
  }
};
} // namespace
