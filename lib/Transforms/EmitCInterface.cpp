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
    auto readOnly = BoolAttr::get(&getContext(), false);
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (!fn.isPublic() || fn.isExternal())
        continue;
      fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                  UnitAttr::get(&getContext()));
      for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes()))
        if (isa<TensorType>(type))
          fn.setArgAttr(i,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        readOnly);
    }
  }
};
} // namespace
