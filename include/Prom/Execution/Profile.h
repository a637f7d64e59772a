//===- Profile.h - per-layer times of a profiled model ----------*- C++ -*-===//
//
// A model compiled with prom-profile-layers counts each layer's cycles in
// `prom_profile`. These read two snapshots of those counters (before and
// after timed calls) into per-layer times, and print them as a table or
// JSON (docs/profiling.md).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_EXECUTION_PROFILE_H
#define PROM_EXECUTION_PROFILE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir {
namespace prom {

struct LayerProfile {
  std::string name, op, kernel, type;
  int64_t macs = 0;
  int64_t cycles = 0, calls = 0;
};

struct ModelProfile {
  std::vector<LayerProfile> layers;
  /// The whole public function's row.
  int64_t cycles = 0, calls = 0;
  /// Wall-clock time of the timed calls, median per call and sum.
  double medianUs = 0, totalUs = 0;

  /// Cycle-counter ticks per microsecond, from the whole-call row and the
  /// wall clock over the same calls.
  double ticksPerUs() const {
    return totalUs > 0 ? double(cycles) / totalUs : 0;
  }
  /// Mean microseconds per call of `cycles` ticks over `calls` calls.
  double microseconds(int64_t ticks, int64_t perCalls) const;
};

/// Calls `call` five times to warm up, then `runs` times timed, and
/// returns the profile of the timed calls: the difference of two snapshots
/// of `counters` (`prom_profile`: rows of {cycles, calls}, the last the
/// whole call) whose layers are `layers` (the module's
/// prom.profile_layers), with the wall-clock figures of the same calls.
llvm::Expected<ModelProfile>
measureProfile(ArrayAttr layers, const int64_t *counters, unsigned runs,
               llvm::function_ref<llvm::Error()> call);

/// Prints `profile` on stdout and, unless `jsonPath` is empty, writes it as
/// JSON there.
llvm::Error reportProfile(const ModelProfile &profile,
                          llvm::StringRef jsonPath);

/// One line per layer (µs, share, GMAC/s), then the time between layers.
void printProfile(llvm::raw_ostream &os, const ModelProfile &profile);

void writeProfileJson(llvm::raw_ostream &os, const ModelProfile &profile);

} // namespace prom
} // namespace mlir

#endif // PROM_EXECUTION_PROFILE_H
