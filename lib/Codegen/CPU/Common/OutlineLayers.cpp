//===- OutlineLayers.cpp - the prom-outline-layers pass -------------------===//
//
// One function per layer: perf attributes samples to layers, the profiler
// times calls, and LLVM works on many small functions instead of one huge
// one.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/Epilogue.h"
#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/LayerFunctions.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/CostModel.h"
#include "Prom/Transforms/LayerInfo.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMOUTLINELAYERS
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

std::string mlir::prom::describeKernel(KernelAttr kernel) {
  if (!kernel)
    return "";
  std::string text = stringifyKernelKind(kernel.getKind()).str();
  if (kernel.getKind() == KernelKind::Reference)
    return text;
  if (kernel.getIsa() != KernelIsa::None)
    text += " " + kernelIsaName(kernel.getIsa());
  if (kernel.getForm())
    text += " " + stringifyKernelForm(*kernel.getForm()).str();
  std::string tile = describeTile(kernel);
  if (!tile.empty())
    text += " " + tile;
  return text;
}

std::string mlir::prom::describeTile(KernelAttr kernel) {
  if (!kernel.getTilePixels())
    return "";
  std::string text = std::to_string(kernel.getTilePixels());
  if (kernel.getTileBlocks())
    text += "x" + std::to_string(kernel.getTileBlocks());
  return text;
}

namespace {

/// Whether `value` can be recomputed inside a layer's function: made by
/// side-effect-free ops without regions from no outside input (constants,
/// tensor.empty, reshapes of constants). Kernels match such operands.
bool isRecomputable(Value value, llvm::DenseMap<Operation *, bool> &known) {
  Operation *def = value.getDefiningOp();
  if (!def || def->getNumRegions() || !isMemoryEffectFree(def))
    return false;
  auto [it, inserted] = known.try_emplace(def, false);
  if (!inserted)
    return it->second;
  bool result = llvm::all_of(def->getOperands(), [&](Value operand) {
    return isRecomputable(operand, known);
  });
  known[def] = result;
  return result;
}

/// Clones the producers of `value` (recomputable) into `b`, once each.
Value cloneProducers(OpBuilder &b, Value value, IRMapping &mapping) {
  if (Value mapped = mapping.lookupOrNull(value))
    return mapped;
  Operation *def = value.getDefiningOp();
  for (Value operand : def->getOperands())
    cloneProducers(b, operand, mapping);
  b.clone(*def, mapping);
  return mapping.lookup(value);
}

/// The function's name: the layer's, else the op's, as a C identifier.
std::string functionName(Operation *op) {
  std::string layer = getLayerName(op);
  if (layer.empty())
    layer = op->getName().stripDialect().str();
  std::string name = "layer_";
  for (char c : layer)
    name += llvm::isAlnum(c) ? c : '_';
  return name;
}

/// Outlines `op` with the epilogues its kernel computes (getEpilogue).
void outline(Operation *op, SymbolTable &symbols, OpBuilder &moduleBuilder,
             llvm::DenseMap<Operation *, bool> &recomputable) {
  MLIRContext *context = op->getContext();
  SmallVector<Operation *> chain = {op};
  while (Operation *epilogue = getEpilogue(chain.back()))
    chain.push_back(epilogue);
  Operation *last = chain.back();
  llvm::SetVector<Value> used;
  for (Operation *member : chain) {
    for (Value v : member->getOperands())
      if (!llvm::is_contained(chain, v.getDefiningOp()))
        used.insert(v);
    getUsedValuesDefinedAbove(member->getRegions(), used);
  }
  SmallVector<Value> arguments, cloned;
  for (Value v : used)
    (isRecomputable(v, recomputable) ? cloned : arguments).push_back(v);

  auto type = FunctionType::get(context, ValueRange(arguments).getTypes(),
                                last->getResultTypes());
  auto fn =
      func::FuncOp::create(moduleBuilder, op->getLoc(), functionName(op), type);
  fn.setPrivate();
  // Kept out of line down to LLVM (convert-func-to-llvm passes it on).
  fn->setAttr("passthrough",
              ArrayAttr::get(context, {StringAttr::get(context, "noinline")}));
  std::optional<LayerCost> cost = computeLayerCost(op);
  std::string resultType;
  if (op->getNumResults()) {
    llvm::raw_string_ostream os(resultType);
    os << op->getResult(0).getType();
  }
  Builder attrs(context);
  fn->setAttr(
      kLayerAttrName,
      attrs.getDictionaryAttr({
          attrs.getNamedAttr("name", attrs.getStringAttr(getLayerName(op))),
          attrs.getNamedAttr("op",
                             attrs.getStringAttr(op->getName().getStringRef())),
          attrs.getNamedAttr(
              "kernel", attrs.getStringAttr(describeKernel(getKernel(op)))),
          attrs.getNamedAttr("type", attrs.getStringAttr(resultType)),
          attrs.getNamedAttr("macs",
                             attrs.getI64IntegerAttr(cost ? cost->macs : 0)),
      }));
  symbols.insert(fn);

  Block *body = fn.addEntryBlock();
  OpBuilder b = OpBuilder::atBlockBegin(body);
  IRMapping mapping;
  mapping.map(arguments, body->getArguments());
  for (Value v : cloned)
    cloneProducers(b, v, mapping);
  for (Operation *member : chain)
    b.clone(*member, mapping);
  func::ReturnOp::create(b, op->getLoc(),
                         llvm::map_to_vector(last->getResults(), [&](Value v) {
                           return mapping.lookup(v);
                         }));

  OpBuilder callBuilder(last);
  auto call = func::CallOp::create(callBuilder, op->getLoc(), fn, arguments);
  last->replaceAllUsesWith(call.getResults());
  for (Operation *member : llvm::reverse(chain)) {
    recomputable.erase(member);
    member->erase();
  }
}

struct OutlineLayersPass
    : prom::impl::PromOutlineLayersBase<OutlineLayersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
    llvm::DenseMap<Operation *, bool> recomputable;
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (!fn.isPublic() || fn.isExternal())
        continue;
      SmallVector<Operation *> layers;
      for (Operation &op : fn.getBody().getOps())
        if (getKernel(&op) && !hasKernel(&op, KernelKind::Epilogue) &&
            !isa<QuantizeOp, DequantizeOp>(op) &&
            !llvm::any_of(op.getResults(), [&](Value v) {
              return isRecomputable(v, recomputable);
            }))
          layers.push_back(&op);
      for (Operation *op : layers)
        outline(op, symbols, moduleBuilder, recomputable);
      recomputable.clear();
      // What only the layers read (their weights) now lives in their
      // functions; dead copies here would be emitted twice.
      for (Block &block : fn.getBody())
        for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
          if (isOpTriviallyDead(&op))
            op.erase();
    }
  }
};

} // namespace
