//===- Profile.cpp - per-layer times of a profiled model ------------------===//

#include "Prom/Execution/Profile.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace mlir::prom;

double ModelProfile::microseconds(int64_t ticks, int64_t perCalls) const {
  double rate = ticksPerUs();
  return rate > 0 && perCalls > 0 ? double(ticks) / rate / double(perCalls) : 0;
}

/// The profile of the calls between two snapshots of the counters.
static llvm::Expected<ModelProfile>
readProfile(ArrayAttr layers, const int64_t *before, const int64_t *after) {
  ModelProfile profile;
  auto text = [](DictionaryAttr dict, StringRef key) -> std::string {
    auto s = dict.getAs<StringAttr>(key);
    return s ? s.getValue().str() : "";
  };
  for (auto [row, attr] : llvm::enumerate(layers)) {
    auto dict = dyn_cast<DictionaryAttr>(attr);
    if (!dict)
      return llvm::createStringError("prom.profile_layers: row " +
                                     std::to_string(row) +
                                     " is not a dictionary");
    LayerProfile layer;
    layer.name = text(dict, "name");
    layer.op = text(dict, "op");
    layer.kernel = text(dict, "kernel");
    layer.type = text(dict, "type");
    if (auto macs = dict.getAs<IntegerAttr>("macs"))
      layer.macs = macs.getInt();
    layer.cycles = after[2 * row] - before[2 * row];
    layer.calls = after[2 * row + 1] - before[2 * row + 1];
    profile.layers.push_back(std::move(layer));
  }
  size_t whole = 2 * layers.size();
  profile.cycles = after[whole] - before[whole];
  profile.calls = after[whole + 1] - before[whole + 1];
  return profile;
}

llvm::Expected<ModelProfile>
mlir::prom::measureProfile(ArrayAttr layers, const int64_t *counters,
                           unsigned runs,
                           llvm::function_ref<llvm::Error()> call) {
  for (int warm = 0; warm < 5; ++warm)
    if (llvm::Error e = call())
      return std::move(e);
  // Rows of {cycles, calls}: one per layer, then the whole call.
  size_t words = 2 * (layers.size() + 1);
  std::vector<int64_t> before(counters, counters + words);
  std::vector<double> times;
  for (unsigned i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error e = call())
      return std::move(e);
    times.push_back(std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  auto profile = readProfile(layers, before.data(), counters);
  if (!profile || times.empty())
    return profile;
  for (double t : times)
    profile->totalUs += t;
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  profile->medianUs = times[times.size() / 2];
  return profile;
}

llvm::Error mlir::prom::reportProfile(const ModelProfile &profile,
                                      StringRef jsonPath) {
  printProfile(llvm::outs(), profile);
  if (jsonPath.empty())
    return llvm::Error::success();
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(jsonPath, &error);
  if (!file)
    return llvm::createStringError("--profile-json: " + error);
  writeProfileJson(file->os(), profile);
  file->keep();
  return llvm::Error::success();
}

namespace {
struct Row {
  double us, share, gmacs;
};

Row measure(const ModelProfile &profile, const LayerProfile &layer) {
  Row row;
  // Per model call: a layer called c times per model call counts c times.
  row.us = profile.microseconds(layer.cycles, profile.calls);
  row.share =
      profile.cycles ? double(layer.cycles) / double(profile.cycles) : 0;
  double perCallUs = profile.microseconds(layer.cycles, layer.calls);
  row.gmacs = perCallUs > 0 ? double(layer.macs) / perCallUs / 1e3 : 0;
  return row;
}

int64_t layerCycles(const ModelProfile &profile) {
  int64_t sum = 0;
  for (const LayerProfile &layer : profile.layers)
    sum += layer.cycles;
  return sum;
}

/// "pointwise_dot avx512-vnni vpdpbusd 6x2" -> "pointwise_dot".
StringRef kernelKind(StringRef kernel) { return kernel.split(' ').first; }
} // namespace

void mlir::prom::printProfile(llvm::raw_ostream &os,
                              const ModelProfile &profile) {
  double callUs = profile.microseconds(profile.cycles, profile.calls);
  os << llvm::format("profile: %lld calls, %.1f us per call by the cycle "
                     "counter (median wall clock %.1f us), %.0f ticks/us\n",
                     (long long)profile.calls, callUs, profile.medianUs,
                     profile.ticksPerUs());
  os << llvm::format("%4s %9s %6s %8s %7s  %-40s %-24s %s\n", "#", "us",
                     "share", "MMACs", "GMAC/s", "kernel", "output", "layer");
  for (auto [i, layer] : llvm::enumerate(profile.layers)) {
    Row row = measure(profile, layer);
    os << llvm::format(
        "%4zu %9.2f %5.1f%% %8.2f %7.1f  %-40s %-24s %s\n", i, row.us,
        100 * row.share, double(layer.macs) / 1e6, row.gmacs,
        layer.kernel.c_str(),
        StringRef(layer.type)
            .drop_front(StringRef(layer.type).starts_with("tensor<") ? 7 : 0)
            .drop_back(StringRef(layer.type).ends_with(">") ? 1 : 0)
            .str()
            .c_str(),
        (layer.name.empty() ? layer.op : layer.name).c_str());
  }
  int64_t between = profile.cycles - layerCycles(profile);
  os << llvm::format(
      "     %9.2f %5.1f%%  between layers (copies, "
      "allocation, the entry's own code)\n",
      profile.microseconds(between, profile.calls),
      profile.cycles ? 100.0 * double(between) / double(profile.cycles) : 0.0);

  // Where the time goes, by kernel kind.
  llvm::MapVector<StringRef, std::pair<int64_t, int64_t>> kinds;
  for (const LayerProfile &layer : profile.layers) {
    auto &[cycles, macs] = kinds[kernelKind(layer.kernel)];
    cycles += layer.cycles;
    macs += layer.macs;
  }
  os << "by kernel:\n";
  for (auto &[kind, sums] : kinds) {
    double us = profile.microseconds(sums.first, profile.calls);
    os << llvm::format("  %-24s %9.2f us %5.1f%% %8.2f MMACs %7.1f GMAC/s\n",
                       kind.empty() ? "(none)" : kind.str().c_str(), us,
                       profile.cycles
                           ? 100.0 * double(sums.first) / double(profile.cycles)
                           : 0.0,
                       double(sums.second) / 1e6,
                       us > 0 ? double(sums.second) / us / 1e3 : 0.0);
  }
}

void mlir::prom::writeProfileJson(llvm::raw_ostream &os,
                                  const ModelProfile &profile) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("calls", profile.calls);
    json.attribute("us_per_call",
                   profile.microseconds(profile.cycles, profile.calls));
    json.attribute("median_wall_us", profile.medianUs);
    json.attribute("ticks_per_us", profile.ticksPerUs());
    json.attribute("between_layers_us",
                   profile.microseconds(profile.cycles - layerCycles(profile),
                                        profile.calls));
    json.attributeArray("layers", [&] {
      for (const LayerProfile &layer : profile.layers) {
        Row row = measure(profile, layer);
        json.object([&] {
          json.attribute("layer", layer.name);
          json.attribute("op", layer.op);
          json.attribute("kernel", layer.kernel);
          json.attribute("type", layer.type);
          json.attribute("macs", layer.macs);
          json.attribute("calls", layer.calls);
          json.attribute("cycles", layer.cycles);
          json.attribute("us", row.us);
          json.attribute("share", row.share);
          json.attribute("gmacs", row.gmacs);
        });
      }
    });
  });
  os << "\n";
}
