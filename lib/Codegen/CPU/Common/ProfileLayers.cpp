//===- ProfileLayers.cpp - the prom-profile-layers pass -------------------===//
//
// Runs on buffers, where each layer call is ordered by its memory effects:
// the counter reads around it cannot move across it.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/LayerFunctions.h"

#include "mlir/IR/SymbolTable.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMPROFILELAYERS
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

Value readCycles(OpBuilder &b, Location loc) {
  return LLVM::CallIntrinsicOp::create(b, loc, b.getI64Type(),
                                       b.getStringAttr("llvm.readcyclecounter"),
                                       ValueRange{})
      .getResults();
}

/// Adds the cycles since `start` and one call to row `row` of the counters.
void count(OpBuilder &b, Location loc, MemRefType counters, Value start,
           int64_t row) {
  Value cycles = arith::SubIOp::create(b, loc, readCycles(b, loc), start);
  Value table =
      memref::GetGlobalOp::create(b, loc, counters, kProfileCountersName);
  Value rowIndex = arith::ConstantIndexOp::create(b, loc, row);
  Value one = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 1);
  Value columns[] = {cycles, one};
  for (auto [column, value] : llvm::enumerate(columns))
    memref::AtomicRMWOp::create(
        b, loc, arith::AtomicRMWKind::addi, value, table,
        ValueRange{rowIndex, arith::ConstantIndexOp::create(b, loc, column)});
}

struct ProfileLayersPass
    : prom::impl::PromProfileLayersBase<ProfileLayersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    if (symbols.lookup(kProfileCountersName)) {
      module.emitError() << "prom-profile-layers: the module already has a '"
                         << kProfileCountersName << "'";
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> entries;
    SmallVector<std::pair<func::CallOp, DictionaryAttr>> calls;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (!fn.isPublic() || fn.isExternal())
        continue;
      entries.push_back(fn);
      fn.walk([&](func::CallOp call) {
        auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
        if (auto layer =
                callee ? callee->getAttrOfType<DictionaryAttr>(kLayerAttrName)
                       : nullptr)
          calls.push_back({call, layer});
      });
    }
    if (entries.empty())
      return;

    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    int64_t rows = int64_t(calls.size()) + 1;
    auto counters = MemRefType::get({rows, 2}, b.getI64Type());
    auto zeros =
        DenseElementsAttr::get(RankedTensorType::get({rows, 2}, b.getI64Type()),
                               b.getI64IntegerAttr(0));
    memref::GlobalOp::create(b, module.getLoc(), kProfileCountersName,
                             /*sym_visibility=*/nullptr, counters, zeros,
                             /*constant=*/false, /*alignment=*/nullptr);
    SmallVector<Attribute> layers;
    for (auto [row, entry] : llvm::enumerate(calls)) {
      auto [call, layer] = entry;
      b.setInsertionPoint(call);
      Value start = readCycles(b, call.getLoc());
      b.setInsertionPointAfter(call);
      count(b, call.getLoc(), counters, start, row);
      layers.push_back(layer);
    }
    for (func::FuncOp fn : entries) {
      b.setInsertionPointToStart(&fn.getBody().front());
      Value start = readCycles(b, fn.getLoc());
      fn.walk([&](func::ReturnOp ret) {
        b.setInsertionPoint(ret);
        count(b, ret.getLoc(), counters, start, rows - 1);
      });
    }
    module->setAttr(kProfileLayersAttrName, b.getArrayAttr(layers));
  }
};

} // namespace
