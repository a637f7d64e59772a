//===- RunProfile.cpp - promc --profile: run the library, time its layers -===//

#include "RunProfile.h"

#include "Prom/Execution/Profile.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"

#include <dlfcn.h>
#include <random>

using namespace promc;

namespace {
/// Calls `fn`, which takes `args.size()` pointers, with `args`.
int callEntry(void *fn, llvm::ArrayRef<void *> args) {
  using P = void *;
  switch (args.size()) {
  case 1:
    return reinterpret_cast<int (*)(P)>(fn)(args[0]);
  case 2:
    return reinterpret_cast<int (*)(P, P)>(fn)(args[0], args[1]);
  case 3:
    return reinterpret_cast<int (*)(P, P, P)>(fn)(args[0], args[1], args[2]);
  case 4:
    return reinterpret_cast<int (*)(P, P, P, P)>(fn)(args[0], args[1], args[2],
                                                     args[3]);
  case 5:
    return reinterpret_cast<int (*)(P, P, P, P, P)>(fn)(
        args[0], args[1], args[2], args[3], args[4]);
  case 6:
    return reinterpret_cast<int (*)(P, P, P, P, P, P)>(fn)(
        args[0], args[1], args[2], args[3], args[4], args[5]);
  case 7:
    return reinterpret_cast<int (*)(P, P, P, P, P, P, P)>(fn)(
        args[0], args[1], args[2], args[3], args[4], args[5], args[6]);
  case 8:
    return reinterpret_cast<int (*)(P, P, P, P, P, P, P, P)>(fn)(
        args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7]);
  }
  llvm_unreachable("checked by the caller");
}

/// A buffer for `parameter`: uniform in [0, 1) for floats (an image),
/// uniform bytes for integers.
std::vector<uint8_t> makeBuffer(const TensorParameter &parameter,
                                std::mt19937 &rng, bool fill) {
  std::vector<uint8_t> bytes(parameter.numElements() * parameter.elementBytes);
  if (!fill)
    return bytes;
  if (parameter.cType == "float") {
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (size_t i = 0; i < bytes.size() / 4; ++i)
      reinterpret_cast<float *>(bytes.data())[i] = uniform(rng);
  } else {
    for (uint8_t &b : bytes)
      b = uint8_t(rng());
  }
  return bytes;
}
} // namespace

llvm::Error promc::runProfile(llvm::StringRef path,
                              const EntryPointSignature &signature,
                              mlir::ArrayAttr layers, unsigned runs,
                              llvm::StringRef json) {
  size_t parameters = signature.inputs.size() + signature.outputs.size();
  if (parameters == 0 || parameters > 8)
    return llvm::createStringError(
        "--profile calls entry points of 1 to 8 buffers; '" + signature.name +
        "' takes " + std::to_string(parameters));
  llvm::SmallString<256> absolute(path);
  if (std::error_code ec = llvm::sys::fs::make_absolute(absolute))
    return llvm::createStringError("cannot resolve '" + path.str() +
                                   "': " + ec.message());
  void *library = dlopen(absolute.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return llvm::createStringError("cannot load '" + path.str() +
                                   "': " + dlerror());
  llvm::scope_exit close([&] { dlclose(library); });
  void *entry = dlsym(library, signature.name.c_str());
  void *counters = dlsym(library, signature.profile.c_str());
  if (!entry || !counters)
    return llvm::createStringError(
        "'" + path.str() + "' lacks " +
        (entry ? signature.profile : signature.name));
  const int64_t *table = reinterpret_cast<const int64_t *(*)()>(counters)();

  std::mt19937 rng(1);
  std::vector<std::vector<uint8_t>> buffers;
  for (const TensorParameter &in : signature.inputs)
    buffers.push_back(makeBuffer(in, rng, /*fill=*/true));
  for (const TensorParameter &out : signature.outputs)
    buffers.push_back(makeBuffer(out, rng, /*fill=*/false));
  llvm::SmallVector<void *> args;
  for (std::vector<uint8_t> &buffer : buffers)
    args.push_back(buffer.data());

  auto call = [&]() -> llvm::Error {
    if (int status = callEntry(entry, args))
      return llvm::createStringError(signature.name + " returned " +
                                     std::to_string(status));
    return llvm::Error::success();
  };
  auto profile = mlir::prom::measureProfile(layers, table, runs, call);
  if (!profile)
    return profile.takeError();
  return mlir::prom::reportProfile(*profile, json);
}
