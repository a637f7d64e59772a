//===- Calibrate.cpp - activation ranges from running the float model -----===//

#include "Prom/Calibration/Passes.h"

#include "CalibrationInputs.h"
#include "SqnrReport.h"

#include "Prom/Calibration/Observer.h"
#include "Prom/Transforms/QuantizationPoints.h"

#include "mlir/IR/Threading.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMCALIBRATE
#include "Prom/Calibration/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

/// Up to this many calibration inputs, the observed model is compiled at
/// -O0 (see calibrate()). MobileNetV2 on Zen 5: -O0 compiles in about 1.9 s
/// and runs an input in 0.16 s, -O2 takes about 6.7 s and 0.06 s: even at
/// about 48 inputs.
constexpr size_t kQuickCompileInputs = 32;

/// What calibration keeps of one point's observed values.
struct PointStatistics {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  std::vector<float> sample; // for percentiles

  static constexpr size_t kMaxSampledPerInput = 1 << 20;

  void add(ArrayRef<float> values, bool keepSample) {
    for (float v : values) {
      min = std::min(min, v);
      max = std::max(max, v);
    }
    if (!keepSample)
      return;
    size_t stride = values.size() / kMaxSampledPerInput + 1;
    for (size_t i = 0; i < values.size(); i += stride)
      sample.push_back(values[i]);
  }

  void merge(const PointStatistics &other) {
    min = std::min(min, other.min);
    max = std::max(max, other.max);
    sample.insert(sample.end(), other.sample.begin(), other.sample.end());
  }

  /// The value at `fraction` (0..1) of the sorted sample.
  float quantile(double fraction) {
    size_t k = size_t(fraction * double(sample.size() - 1) + 0.5);
    std::nth_element(sample.begin(), sample.begin() + k, sample.end());
    return sample[k];
  }
};

struct CalibratePass : prom::impl::PromCalibrateBase<CalibratePass> {
  using Base::Base;

  void runOnOperation() override {
    if (percentile <= 50.0 || percentile > 100.0) {
      getOperation().emitError()
          << "prom-calibrate: percentile must be in (50, 100], got "
          << llvm::formatv("{0}", double(percentile)).str();
      return signalPassFailure();
    }
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (!fn.isPublic() || fn.isExternal())
        continue;
      SmallVector<Value> points = collectQuantizationPoints(fn);
      if (points.empty())
        continue;
      if (failed(calibrate(fn, points)))
        return signalPassFailure();
    }
  }

  LogicalResult calibrate(func::FuncOp fn, ArrayRef<Value> points) {
    FailureOr<std::vector<HostTensor>> dataset =
        getCalibrationInputs(fn, inputs, samples, seed, "prom-calibrate");
    if (failed(dataset))
      return failure();

    // For a few inputs, compiling dominates. The ranges are the same at any
    // level: LLVM keeps IEEE semantics without fast-math flags, and the
    // float kernels fix the order of every sum.
    unsigned optLevel = dataset->size() <= kQuickCompileInputs ? 0 : 2;
    llvm::Expected<Observer> observer = Observer::create(fn, points, optLevel);
    if (!observer)
      return fn.emitError()
             << "prom-calibrate: " << llvm::toString(observer.takeError());
    // The inputs run side by side (the compiled model keeps no state
    // between calls), each into statistics of its own, merged in input
    // order: the ranges do not depend on the schedule.
    bool keepSample = method == CalibrationMethod::Percentile;
    std::vector<std::vector<PointStatistics>> perInput(
        dataset->size(), std::vector<PointStatistics>(points.size()));
    std::vector<std::string> errors(dataset->size());
    parallelFor(fn.getContext(), 0, dataset->size(), [&](size_t k) {
      auto observed = observer->run((*dataset)[k]);
      if (!observed) {
        errors[k] = llvm::toString(observed.takeError());
        return;
      }
      for (size_t i = 0; i < points.size(); ++i)
        perInput[k][i].add(
            (*observed)[observer->getNumResults() + i].as<float>(),
            keepSample);
    });
    std::vector<PointStatistics> stats(points.size());
    for (auto [input, error] : llvm::zip(perInput, errors)) {
      if (!error.empty())
        return fn.emitError() << "prom-calibrate: " << error;
      for (auto [s, one] : llvm::zip(stats, input))
        s.merge(one);
    }
    for (auto [point, s] : llvm::zip(points, stats)) {
      ActivationRange range{s.min, s.max};
      if (keepSample)
        range = {s.quantile(1.0 - percentile / 100.0),
                 s.quantile(percentile / 100.0)};
      if (!std::isfinite(range.min) || !std::isfinite(range.max))
        return emitError(point.getLoc())
               << "prom-calibrate: activation is not finite on the "
                  "calibration inputs";
      setRange(point, range);
    }

    if (!sqnrReport.empty())
      if (llvm::Error e =
              writeSqnrReport(fn, points, *observer, *dataset, sqnrReport))
        return fn.emitError() << "prom-calibrate: SQNR report: "
                              << llvm::toString(std::move(e));
    return success();
  }
};

} // namespace
