//===- CostReport.cpp - per-layer operations, bytes and energy ------------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Transforms/CostModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cmath>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMCOSTREPORT
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

/// A layer's HASTE channel counts (prom-run --haste-report).
struct HasteCount {
  int64_t inputChannels;
  double kept; // mean input channels kept per patch
  bool matched = false;
  int64_t macsAfter(int64_t macs) const {
    return int64_t(std::llround(double(macs) * kept / double(inputChannels)));
  }
};

/// The layers of a --haste-report file by name; errors name the entry.
llvm::Expected<llvm::StringMap<HasteCount>>
parseHasteCounts(llvm::StringRef text) {
  auto error = [](const llvm::Twine &what) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), what);
  };
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text);
  if (!root)
    return error("not JSON: " + llvm::toString(root.takeError()));
  const llvm::json::Object *object = root->getAsObject();
  const llvm::json::Array *layers =
      object ? object->getArray("layers") : nullptr;
  if (!layers)
    return error("expected an object with a \"layers\" array");
  llvm::StringMap<HasteCount> counts;
  for (auto [i, value] : llvm::enumerate(*layers)) {
    const llvm::json::Object *layer = value.getAsObject();
    std::optional<llvm::StringRef> name =
        layer ? layer->getString("layer") : std::nullopt;
    std::optional<int64_t> channels =
        layer ? layer->getInteger("input_channels") : std::nullopt;
    std::optional<double> kept =
        layer ? layer->getNumber("kept_channels") : std::nullopt;
    if (!name || !channels || !kept)
      return error("layers[" + llvm::Twine(i) +
                   "]: needs \"layer\", \"input_channels\" and "
                   "\"kept_channels\"");
    if (name->empty())
      return error("layers[" + llvm::Twine(i) +
                   "]: an unnamed layer cannot be matched (layer names are "
                   "locations: keep them with --mlir-print-debuginfo)");
    if (*channels <= 0 || *kept < 0 || *kept > double(*channels))
      return error("layers[" + llvm::Twine(i) + "] ('" + *name +
                   "'): kept_channels must be in [0, input_channels]");
    if (!counts.try_emplace(*name, HasteCount{*channels, *kept}).second)
      return error("layer '" + *name + "' appears twice");
  }
  return counts;
}

struct Totals {
  int64_t macs = 0, multiplies = 0, additions = 0, weights = 0;
  int64_t storedBytes = 0, fp16Bytes = 0, int8Bytes = 0, activationBytes = 0;
  double energyPj = 0, fp16EnergyPj = 0, int8EnergyPj = 0;

  void add(const LayerCost &c, const EnergyTable &t) {
    macs += c.macs;
    multiplies += c.multiplies;
    additions += c.additions;
    weights += c.weights;
    storedBytes += c.storedBytes(t);
    fp16Bytes += c.fp16Bytes();
    int8Bytes += c.int8Bytes();
    activationBytes += c.activationBytes;
    energyPj += c.energyPj(t);
    fp16EnergyPj += c.fp16EnergyPj(t);
    int8EnergyPj += c.int8EnergyPj(t);
  }
};

/// The layer's HASTE counts, or null.
const HasteCount *findHaste(const llvm::StringMap<HasteCount> *haste,
                            const LayerCost &c) {
  if (!haste)
    return nullptr;
  auto it = haste->find(c.name);
  return it == haste->end() ? nullptr : &it->second;
}

/// MACs of all layers with HASTE's measured channel counts applied.
int64_t macsWithHaste(ArrayRef<LayerCost> layers,
                      const llvm::StringMap<HasteCount> &haste) {
  int64_t macs = 0;
  for (const LayerCost &c : layers) {
    const HasteCount *h = findHaste(&haste, c);
    macs += h ? h->macsAfter(c.macs) : c.macs;
  }
  return macs;
}

void writeJson(llvm::raw_ostream &os, const EnergyTable &table,
               ArrayRef<LayerCost> layers, const Totals &total,
               const llvm::StringMap<HasteCount> *haste) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attributeObject("energy_table", [&] {
      json.attribute("source", table.source);
      json.attribute("int8_accumulate", table.int8Accumulate);
      json.attribute("fp16_accumulate", table.fp16Accumulate);
      json.attribute("ternary_add", table.ternaryAdd);
      json.attribute("ternary_count",
                     table.ternaryCountsZeros ? "all" : "nonzero");
      json.attribute("ternary_packing", table.ternaryBase3 ? "base3" : "2bit");
      if (table.requantization.empty())
        json.attribute("requantization", nullptr);
      else
        json.attribute("requantization", table.requantization);
    });
    json.attributeArray("layers", [&] {
      for (const LayerCost &c : layers)
        json.object([&] {
          json.attribute("layer", c.name);
          json.attribute("op", c.opName);
          json.attribute("weights_form", stringifyWeightForm(c.form));
          json.attribute("macs", c.macs);
          json.attribute("multiplies", c.multiplies);
          json.attribute("additions", c.additions);
          json.attribute("weights", c.weights);
          json.attribute("nonzero_weights", c.nonzeroWeights);
          json.attribute("output_channels", c.channels);
          json.attribute("weight_bytes", c.storedBytes(table));
          json.attribute("activation_bytes", c.activationBytes);
          json.attribute("energy_pj", c.energyPj(table));
          json.attribute("fp16_energy_pj", c.fp16EnergyPj(table));
          json.attribute("int8_energy_pj", c.int8EnergyPj(table));
          if (const HasteCount *h = findHaste(haste, c))
            json.attributeObject("haste", [&] {
              json.attribute("input_channels", h->inputChannels);
              json.attribute("kept_channels", h->kept);
              json.attribute("macs", h->macsAfter(c.macs));
            });
        });
    });
    json.attributeObject("total", [&] {
      json.attribute("layers", int64_t(layers.size()));
      json.attribute("macs", total.macs);
      json.attribute("multiplies", total.multiplies);
      json.attribute("additions", total.additions);
      json.attribute("weights", total.weights);
      json.attribute("weight_bytes", total.storedBytes);
      json.attribute("activation_bytes", total.activationBytes);
      json.attribute("energy_pj", total.energyPj);
      if (haste)
        json.attribute("haste_macs", macsWithHaste(layers, *haste));
    });
    json.attributeObject("baselines", [&] {
      json.attributeObject("fp16", [&] {
        json.attribute("weight_bytes", total.fp16Bytes);
        json.attribute("energy_pj", total.fp16EnergyPj);
      });
      json.attributeObject("int8", [&] {
        json.attribute("weight_bytes", total.int8Bytes);
        json.attribute("energy_pj", total.int8EnergyPj);
      });
    });
    auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
    json.attributeObject("ratios", [&] {
      json.attribute("energy_vs_fp16",
                     ratio(total.fp16EnergyPj, total.energyPj));
      json.attribute("storage_vs_fp16",
                     ratio(double(total.fp16Bytes), double(total.storedBytes)));
      json.attribute("energy_vs_int8",
                     ratio(total.int8EnergyPj, total.energyPj));
      json.attribute("storage_vs_int8",
                     ratio(double(total.int8Bytes), double(total.storedBytes)));
    });
  });
  os << "\n";
}

void writeTable(llvm::raw_ostream &os, const EnergyTable &table,
                ArrayRef<LayerCost> layers, const Totals &total,
                const llvm::StringMap<HasteCount> *haste) {
  os << llvm::formatv("{0,-48} {1,-8} {2,12} {3,12} {4,12} {5,10} {6,12}\n",
                      "layer", "weights", "MACs", "mults", "adds", "bytes",
                      "energy nJ");
  for (const LayerCost &c : layers)
    os << llvm::formatv(
        "{0,-48} {1,-8} {2,12} {3,12} {4,12} {5,10} {6,12:F1}\n",
        c.name.empty() ? c.opName : c.name, stringifyWeightForm(c.form), c.macs,
        c.multiplies, c.additions, c.storedBytes(table),
        c.energyPj(table) / 1000);
  os << llvm::formatv("{0,-48} {1,-8} {2,12} {3,12} {4,12} {5,10} {6,12:F1}\n",
                      "total", "", total.macs, total.multiplies,
                      total.additions, total.storedBytes,
                      total.energyPj / 1000);
  os << llvm::formatv(
      "fp16 baseline: {0} bytes, {1:F1} nJ; int8 baseline: {2} bytes, "
      "{3:F1} nJ\n",
      total.fp16Bytes, total.fp16EnergyPj / 1000, total.int8Bytes,
      total.int8EnergyPj / 1000);
  os << llvm::formatv(
      "vs fp16: {0:F2}x less energy, {1:F2}x less storage ({2})\n",
      total.fp16EnergyPj / total.energyPj,
      double(total.fp16Bytes) / double(total.storedBytes), table.source);
  if (haste) {
    int64_t after = macsWithHaste(layers, *haste);
    os << llvm::formatv(
        "HASTE (measured, {0} layers): MACs {1} -> {2} ({3:F1}% fewer)\n",
        haste->size(), total.macs, after,
        total.macs ? 100.0 * double(total.macs - after) / double(total.macs)
                   : 0.0);
  }
}

struct CostReportPass : prom::impl::PromCostReportBase<CostReportPass> {
  using Base::Base;

  void runOnOperation() override {
    EnergyTable energy = EnergyTable::getDefault();
    if (!energyTable.empty()) {
      auto buffer = llvm::MemoryBuffer::getFile(energyTable, /*IsText=*/true);
      if (!buffer) {
        emitError(getOperation().getLoc())
            << "prom-cost-report: energy table '" << energyTable
            << "': " << buffer.getError().message();
        return signalPassFailure();
      }
      llvm::Expected<EnergyTable> parsed =
          EnergyTable::parse((*buffer)->getBuffer());
      if (!parsed) {
        emitError(getOperation().getLoc())
            << "prom-cost-report: energy table '" << energyTable
            << "': " << llvm::toString(parsed.takeError());
        return signalPassFailure();
      }
      energy = std::move(*parsed);
    }

    SmallVector<LayerCost> layers;
    Totals total;
    getOperation().walk([&](Operation *op) {
      if (std::optional<LayerCost> cost = computeLayerCost(op)) {
        total.add(*cost, energy);
        layers.push_back(std::move(*cost));
      }
    });

    std::optional<llvm::StringMap<HasteCount>> haste;
    if (!hasteCounts.empty()) {
      FailureOr<llvm::StringMap<HasteCount>> read = readHasteCounts(layers);
      if (failed(read))
        return signalPassFailure();
      haste = std::move(*read);
    }
    const llvm::StringMap<HasteCount> *hastePtr = haste ? &*haste : nullptr;
    if (!report.empty() && failed(write(report, [&](llvm::raw_ostream &os) {
          writeJson(os, energy, layers, total, hastePtr);
        })))
      return signalPassFailure();
    if (!table.empty() && failed(write(table, [&](llvm::raw_ostream &os) {
          writeTable(os, energy, layers, total, hastePtr);
        })))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }

  /// The haste-counts file, every layer of which must be one of `layers`
  /// (a report on another model's counts would be silently wrong).
  FailureOr<llvm::StringMap<HasteCount>>
  readHasteCounts(ArrayRef<LayerCost> layers) {
    auto fail = [&](const llvm::Twine &why) {
      emitError(getOperation().getLoc())
          << "prom-cost-report: HASTE counts '" << hasteCounts << "': " << why;
      return failure();
    };
    auto buffer = llvm::MemoryBuffer::getFile(hasteCounts, /*IsText=*/true);
    if (!buffer)
      return fail(buffer.getError().message());
    llvm::Expected<llvm::StringMap<HasteCount>> counts =
        parseHasteCounts((*buffer)->getBuffer());
    if (!counts)
      return fail(llvm::toString(counts.takeError()));
    for (const LayerCost &c : layers)
      if (auto it = counts->find(c.name); it != counts->end())
        it->second.matched = true;
    for (const auto &entry : *counts)
      if (!entry.second.matched)
        return fail("layer '" + entry.first() +
                    "' is not a layer of this module");
    return std::move(*counts);
  }

  LogicalResult write(StringRef path,
                      llvm::function_ref<void(llvm::raw_ostream &)> emit) {
    if (path == "-") {
      emit(llvm::outs());
      return success();
    }
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &error);
    if (!file)
      return emitError(getOperation().getLoc())
             << "prom-cost-report: " << error;
    emit(file->os());
    file->keep();
    return success();
  }
};

} // namespace
