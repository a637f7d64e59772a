//===- DropTarget.cpp - the prom-drop-target pass -------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/TargetDescription.h"

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
  }
};
} // namespace
