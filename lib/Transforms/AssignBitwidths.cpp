//===- AssignBitwidths.cpp - per-layer weight representation plan ---------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Dialect/Prom/IR/PromAttrs.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/LayerInfo.h"
#include "Prom/Utils/SignalToNoise.h"
#include "Prom/Utils/WeightQuantization.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <memory>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMASSIGNBITWIDTHS
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

/// How much ternary weights hurt `layer` (higher: less): the measured
/// output SQNR if prom-ternary-sensitivity recorded one, else the SQNR of
/// its TWN-ternarized weights (per output channel for TOSA's OHWI conv2d,
/// per tensor otherwise); -inf when neither is known.
static double ternarySensitivity(Operation *layer) {
  if (auto measured = layer->getAttrOfType<FloatAttr>(kTernarySqnrAttrName))
    return measured.getValueAsDouble();
  std::optional<SmallVector<float>> w = getFloatConstant(layer->getOperand(1));
  if (!w || w->empty())
    return -INFINITY;
  int64_t channels = 1;
  if (isa<tosa::Conv2DOp>(layer))
    channels = cast<ShapedType>(layer->getOperand(1).getType()).getDimSize(0);
  int64_t perChannel = w->size() / channels;
  auto channelOf = [&](int64_t i) { return i / perChannel; };
  SignalToNoise sqnr;
  sqnr.add(*w, dequantizeWeights(ternarizeWeights(*w, channels, channelOf),
                                 channelOf));
  return sqnr.decibels();
}

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
    if (policy == BitWidthPolicy::Budget && weightBudget <= 0)
      return emitError(UnknownLoc::get(context))
             << "prom-assign-bitwidths: policy=budget needs "
                "weight-budget=BYTES greater than 0";
    parsedOverrides.clear();
    Location loc = UnknownLoc::get(context);
    for (const std::string &entry : overrides) {
      size_t eq = StringRef(entry).rfind('=');
      std::optional<BitWidth> bitWidth;
      if (eq != StringRef::npos)
        bitWidth = symbolizeBitWidth(StringRef(entry).substr(eq + 1));
      if (!bitWidth)
        return emitError(loc) << "prom-assign-bitwidths: override '" << entry
                              << "' is not REGEX=ternary|int8|float";
      if (failed(addOverride(loc, entry.substr(0, eq), *bitWidth, entry)))
        return failure();
    }
    if (!overrideFile.empty())
      return readOverrideFile(loc);
    return success();
  }

  void runOnOperation() override {
    SmallVector<Operation *> layers, budgeted;
    WalkResult result = getOperation()->walk([&](Operation *op) {
      std::optional<LayerKind> kind = classifyFloatLayer(op);
      if (!kind)
        return WalkResult::advance();
      layers.push_back(op);
      if (op->hasAttr(kBitWidthAttrName))
        return WalkResult::advance();
      FailureOr<std::optional<BitWidth>> overridden = matchOverride(op, *kind);
      if (failed(overridden))
        return WalkResult::interrupt();
      BitWidth bitWidth;
      if (*overridden) {
        bitWidth = **overridden;
      } else if (policy == BitWidthPolicy::Budget &&
                 *kind == LayerKind::PointwiseConv) {
        budgeted.push_back(op);
        bitWidth = BitWidth::Int8; // until the budget says otherwise
      } else {
        bitWidth = choose(*kind);
      }
      op->setAttr(kBitWidthAttrName,
                  BitWidthAttr::get(op->getContext(), bitWidth));
      return WalkResult::advance();
    });
    if (result.wasInterrupted() || (policy == BitWidthPolicy::Budget &&
                                    failed(fitBudget(layers, budgeted))))
      signalPassFailure();
  }

private:
  LogicalResult addOverride(Location loc, StringRef layerRegex,
                            BitWidth bitWidth, StringRef description) {
    auto regex =
        std::make_shared<const llvm::Regex>(("^(" + layerRegex + ")$").str());
    std::string error;
    if (!regex->isValid(error))
      return emitError(loc)
             << "prom-assign-bitwidths: invalid regex in override '"
             << description << "': " << error;
    parsedOverrides.push_back({description.str(), std::move(regex), bitWidth});
    return success();
  }

  /// `{"overrides": [{"layer": REGEX, "bitwidth": "ternary|int8|float"}]}`.
  LogicalResult readOverrideFile(Location loc) {
    auto fail = [&](const Twine &what) {
      return emitError(loc) << "prom-assign-bitwidths: override file '"
                            << overrideFile << "': " << what;
    };
    auto buffer = llvm::MemoryBuffer::getFile(overrideFile, /*IsText=*/true);
    if (!buffer)
      return fail(buffer.getError().message());
    llvm::Expected<llvm::json::Value> json =
        llvm::json::parse((*buffer)->getBuffer());
    if (!json)
      return fail(llvm::toString(json.takeError()));
    const llvm::json::Object *root = json->getAsObject();
    const llvm::json::Array *entries =
        root ? root->getArray("overrides") : nullptr;
    if (!entries)
      return fail("expected {\"overrides\": [...]}");
    for (auto [i, value] : llvm::enumerate(*entries)) {
      const llvm::json::Object *entry = value.getAsObject();
      std::optional<StringRef> layer =
          entry ? entry->getString("layer") : std::nullopt;
      std::optional<StringRef> width =
          entry ? entry->getString("bitwidth") : std::nullopt;
      std::optional<BitWidth> bitWidth =
          width ? symbolizeBitWidth(*width) : std::nullopt;
      std::string where = "overrides[" + std::to_string(i) + "]";
      if (!layer || !bitWidth)
        return fail(where + " is not {\"layer\": REGEX, \"bitwidth\": "
                            "\"ternary|int8|float\"}");
      std::string description =
          (*layer + "=" + *width + " (" + where + " of " + overrideFile + ")")
              .str();
      if (failed(addOverride(loc, *layer, *bitWidth, description)))
        return failure();
    }
    return success();
  }

  FailureOr<std::optional<BitWidth>> matchOverride(Operation *op,
                                                   LayerKind kind) {
    std::string name = getLayerName(op);
    for (const Override &o : parsedOverrides) {
      if (!o.regex->match(name))
        continue;
      if (o.bitWidth == BitWidth::Ternary && kind != LayerKind::PointwiseConv)
        return op->emitError()
               << "override '" << o.pattern << "' asks for ternary weights on "
               << stringifyLayerKind(kind) << " layer '" << name
               << "'; only pointwise convolutions can be ternary";
      return std::optional<BitWidth>(o.bitWidth);
    }
    return std::optional<BitWidth>();
  }

  BitWidth choose(LayerKind kind) {
    switch (policy) {
    case BitWidthPolicy::Prom:
    case BitWidthPolicy::Budget:
      return kind == LayerKind::PointwiseConv ? BitWidth::Ternary
                                              : BitWidth::Int8;
    case BitWidthPolicy::Int8:
      return BitWidth::Int8;
    case BitWidthPolicy::Float:
      return BitWidth::Float;
    }
    llvm_unreachable("unknown BitWidthPolicy");
  }

  /// Turns `budgeted` layers (int8 so far) ternary, least sensitive first,
  /// until all `layers` together fit in the weight budget.
  LogicalResult fitBudget(ArrayRef<Operation *> layers,
                          ArrayRef<Operation *> budgeted) {
    int64_t total = 0;
    for (Operation *layer : layers) {
      std::optional<int64_t> bytes =
          getWeightStorageBytes(layer, *getPlannedBitWidth(layer));
      if (!bytes)
        return layer->emitError("policy=budget needs layers with static "
                                "weight and result shapes");
      total += *bytes;
    }
    SmallVector<std::pair<double, Operation *>> order;
    for (Operation *layer : budgeted)
      order.push_back({ternarySensitivity(layer), layer});
    llvm::stable_sort(order,
                      [](auto &a, auto &b) { return a.first > b.first; });
    int64_t ternary = 0;
    for (auto [sensitivity, layer] : order) {
      if (total <= weightBudget)
        break;
      total -= *getWeightStorageBytes(layer, BitWidth::Int8) -
               *getWeightStorageBytes(layer, BitWidth::Ternary);
      layer->setAttr(kBitWidthAttrName,
                     BitWidthAttr::get(layer->getContext(), BitWidth::Ternary));
      ++ternary;
    }
    Location loc = getOperation()->getLoc();
    if (total > weightBudget)
      emitWarning(loc) << "weight budget of " << int64_t(weightBudget)
                       << " bytes is out of reach: the smallest plan takes "
                       << total << " bytes";
    emitRemark(loc) << "budget plan: " << ternary << " of " << order.size()
                    << " pointwise convolutions ternary, weights take " << total
                    << " of " << int64_t(weightBudget) << " bytes";
    return success();
  }

  SmallVector<Override> parsedOverrides;
};
} // namespace
