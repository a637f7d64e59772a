//===- AssignBitwidths.cpp - per-layer weight representation plan ---------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Dialect/Prom/IR/PromAttrs.h"
#include "Prom/Transforms/LayerInfo.h"

#include "llvm/Support/Regex.h"

#include <memory>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMASSIGNBITWIDTHS
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {
struct Override {
  std::string pattern;
  // Shared so that cloned passes (one per thread) reuse the compiled regex.
  std::shared_ptr<const llvm::Regex> regex;
  BitWidth bitWidth;
};

struct AssignBitwidthsPass
    : prom::impl::PromAssignBitwidthsBase<AssignBitwidthsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    parsedOverrides.clear();
    for (const std::string &entry : overrides) {
      size_t eq = StringRef(entry).rfind('=');
      std::optional<BitWidth> bitWidth;
      if (eq != StringRef::npos)
        bitWidth = symbolizeBitWidth(StringRef(entry).substr(eq + 1));
      if (!bitWidth)
        return emitError(UnknownLoc::get(context))
               << "prom-assign-bitwidths: override '" << entry
               << "' is not REGEX=ternary|int8|float";
      std::string pattern = "^(" + entry.substr(0, eq) + ")$";
      auto regex = std::make_shared<const llvm::Regex>(pattern);
      std::string error;
      if (!regex->isValid(error))
        return emitError(UnknownLoc::get(context))
               << "prom-assign-bitwidths: invalid regex in override '" << entry
               << "': " << error;
      parsedOverrides.push_back({entry, std::move(regex), *bitWidth});
    }
    return success();
  }

  void runOnOperation() override {
    WalkResult result = getOperation()->walk([&](Operation *op) {
      std::optional<LayerKind> kind = classifyFloatLayer(op);
      if (!kind || op->hasAttr(kBitWidthAttrName))
        return WalkResult::advance();
      FailureOr<BitWidth> bitWidth = choose(op, *kind);
      if (failed(bitWidth))
        return WalkResult::interrupt();
      op->setAttr(kBitWidthAttrName,
                  BitWidthAttr::get(op->getContext(), *bitWidth));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

private:
  FailureOr<BitWidth> choose(Operation *op, LayerKind kind) {
    std::string name = getLayerName(op);
    for (const Override &o : parsedOverrides) {
      if (!o.regex->match(name))
        continue;
      if (o.bitWidth == BitWidth::Ternary && kind != LayerKind::PointwiseConv)
        return op->emitError()
               << "override '" << o.pattern << "' asks for ternary weights on "
               << stringifyLayerKind(kind) << " layer '" << name
               << "'; only pointwise convolutions can be ternary";
      return o.bitWidth;
    }
    switch (policy) {
    case BitWidthPolicy::Prom:
      return kind == LayerKind::PointwiseConv ? BitWidth::Ternary
                                              : BitWidth::Int8;
    case BitWidthPolicy::Int8:
      return BitWidth::Int8;
    case BitWidthPolicy::Float:
      return BitWidth::Float;
    }
    llvm_unreachable("unknown BitWidthPolicy");
  }

  SmallVector<Override> parsedOverrides;
};
} // namespace
