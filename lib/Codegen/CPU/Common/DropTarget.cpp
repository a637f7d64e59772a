//===- DropTarget.cpp - the prom-drop-target pass -------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/TargetDescription.h"
#include "Prom/Dialect/Prom/IR/PromDialect.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMDROPTARGET
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;

namespace {
struct DropTargetPass : prom::impl::PromDropTargetBase<DropTargetPass> {
  void runOnOperation() override {
    getOperation()->removeAttr(prom::kTargetAttrName);
    getOperation()->walk([](FunctionOpInterface fn) {
      for (unsigned i = 0, e = fn.getNumArguments(); i < e; ++i)
        fn.removeArgAttr(i, prom::kUint8AttrName);
      for (unsigned i = 0, e = fn.getNumResults(); i < e; ++i)
        fn.removeResultAttr(
            i, StringAttr::get(fn->getContext(), prom::kUint8AttrName));
    });
  }
};
} // namespace
