//===- Calibrate.cpp - activation ranges from running the float model -----===//

#include "Prom/Calibration/Passes.h"

#include "SqnrReport.h"

#include "Prom/Calibration/Observer.h"
#include "Prom/Execution/Npy.h"
#include "Prom/Transforms/QuantizationPoints.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <random>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMCALIBRATE
#include "Prom/Calibration/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string describe(ArrayRef<int64_t> shape, StringRef element) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + element.str() + ">";
}

/// Reads every .npy file in `dir` (in name order) as inputs of `type`: one
/// per file, or several stacked along a batch dimension of 1.
static llvm::Expected<std::vector<HostTensor>>
loadInputs(StringRef dir, RankedTensorType type) {
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".npy")
      files.push_back(it->path());
  if (ec)
    return makeError("cannot read calibration directory '" + dir +
                     "': " + ec.message());
  if (files.empty())
    return makeError("calibration directory '" + dir + "' has no .npy files");
  llvm::sort(files);

  ArrayRef<int64_t> shape = type.getShape();
  std::vector<HostTensor> inputs;
  for (const std::string &file : files) {
    llvm::Expected<HostTensor> t = readNpy(file);
    if (!t)
      return makeError("calibration file " + llvm::toString(t.takeError()));
    bool stacked = !shape.empty() && shape[0] == 1 && !t->shape.empty() &&
                   ArrayRef(t->shape).drop_front() == shape.drop_front();
    if (t->kind != ElementKind::F32 ||
        (ArrayRef(t->shape) != shape && !stacked))
      return makeError("calibration file '" + file + "' holds " +
                       describe(t->shape, t->kind == ElementKind::F32 ? "f32"
                                          : t->kind == ElementKind::I8
                                              ? "i8"
                                              : "i32") +
                       "; the function takes " + describe(shape, "f32"));
    size_t bytesPerInput = type.getNumElements() * sizeof(float);
    for (size_t offset = 0; offset < t->bytes.size(); offset += bytesPerInput) {
      HostTensor one{ElementKind::F32, SmallVector<int64_t>(shape), {}};
      one.bytes.assign(t->bytes.begin() + offset,
                       t->bytes.begin() + offset + bytesPerInput);
      inputs.push_back(std::move(one));
    }
  }
  return inputs;
}

namespace {

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
    auto argType = fn.getNumArguments() == 1
                       ? dyn_cast<RankedTensorType>(fn.getArgumentTypes()[0])
                       : RankedTensorType();
    if (!argType || !argType.hasStaticShape() ||
        !argType.getElementType().isF32())
      return fn.emitError() << "prom-calibrate: '" << fn.getName()
                            << "' must take one static f32 tensor";

    std::vector<HostTensor> dataset;
    if (inputs.empty()) {
      emitWarning(fn.getLoc())
          << "prom-calibrate: no calibration inputs (inputs=DIR); "
             "calibrating on "
          << unsigned(samples)
          << " pseudo-random N(0, 1) inputs, so activation "
             "ranges will not fit real data";
      dataset = randomInputs(argType);
    } else {
      llvm::Expected<std::vector<HostTensor>> loaded =
          loadInputs(inputs, argType);
      if (!loaded)
        return fn.emitError()
               << "prom-calibrate: " << llvm::toString(loaded.takeError());
      dataset = std::move(*loaded);
    }

    llvm::Expected<Observer> observer = Observer::create(fn, points);
    if (!observer)
      return fn.emitError()
             << "prom-calibrate: " << llvm::toString(observer.takeError());
    std::vector<PointStatistics> stats(points.size());
    bool keepSample = method == CalibrationMethod::Percentile;
    for (const HostTensor &input : dataset) {
      auto observed = observer->run(input);
      if (!observed)
        return fn.emitError()
               << "prom-calibrate: " << llvm::toString(observed.takeError());
      for (size_t i = 0; i < points.size(); ++i)
        stats[i].add((*observed)[observer->getNumResults() + i].as<float>(),
                     keepSample);
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
      if (llvm::Error e = writeSqnrReport(fn, points, dataset, sqnrReport))
        return fn.emitError() << "prom-calibrate: SQNR report: "
                              << llvm::toString(std::move(e));
    return success();
  }

  std::vector<HostTensor> randomInputs(RankedTensorType type) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<HostTensor> result;
    for (unsigned s = 0; s < samples; ++s) {
      std::vector<float> values(type.getNumElements());
      for (float &v : values)
        v = normal(rng);
      result.push_back(HostTensor::from(ElementKind::F32, type.getShape(),
                                        ArrayRef(values)));
    }
    return result;
  }
};

} // namespace
