//===- CalibrationInputs.cpp - the inputs passes run the model on ---------===//

#include "CalibrationInputs.h"

#include "Prom/Execution/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <random>

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

static std::vector<HostTensor> randomInputs(RankedTensorType type,
                                            unsigned samples, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<HostTensor> result;
  for (unsigned s = 0; s < samples; ++s) {
    std::vector<float> values(type.getNumElements());
    for (float &v : values)
      v = normal(rng);
    result.push_back(
        HostTensor::from(ElementKind::F32, type.getShape(), ArrayRef(values)));
  }
  return result;
}

FailureOr<std::vector<HostTensor>>
mlir::prom::getCalibrationInputs(func::FuncOp fn, StringRef dir,
                                 unsigned samples, unsigned seed,
                                 StringRef passName) {
  auto argType = fn.getNumArguments() == 1
                     ? dyn_cast<RankedTensorType>(fn.getArgumentTypes()[0])
                     : RankedTensorType();
  if (!argType || !argType.hasStaticShape() ||
      !argType.getElementType().isF32())
    return fn.emitError() << passName << ": '" << fn.getName()
                          << "' must take one static f32 tensor";
  if (dir.empty()) {
    emitWarning(fn.getLoc())
        << passName << ": no calibration inputs (inputs=DIR); running on "
        << samples
        << " pseudo-random N(0, 1) inputs, which do not look like real data";
    return randomInputs(argType, samples, seed);
  }
  llvm::Expected<std::vector<HostTensor>> loaded = loadInputs(dir, argType);
  if (!loaded)
    return fn.emitError() << passName << ": "
                          << llvm::toString(loaded.takeError());
  return std::move(*loaded);
}
