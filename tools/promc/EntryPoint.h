//===- EntryPoint.h - the plain-buffer C entry point of a model -*- C++ -*-===//
//
// The compiled function takes MLIR memref descriptors; users of a promc
// library call `<name>_run(const void *in0, ..., void *out0, ...)` with plain
// row-major buffers instead. This adds that function to the LLVM module and
// writes the C header that declares it.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_TOOLS_PROMC_ENTRYPOINT_H
#define PROM_TOOLS_PROMC_ENTRYPOINT_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace promc {

/// A tensor parameter of the entry point: C element type and static shape.
struct TensorParameter {
  std::string cType; // "float", "int8_t", "uint8_t", "int32_t"
  unsigned elementBytes;
  llvm::SmallVector<int64_t> shape;
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

struct EntryPointSignature {
  std::string name;      // the C function, e.g. "mobilenetv2_run"
  std::string interface; // the wrapped function, "_mlir_ciface_main"
  llvm::SmallVector<TensorParameter> inputs, outputs;
  /// The module asks for the AMX tile state (prom-request-amx-state's
  /// function, `amxRequest`): the entry point asks first.
  bool requestsAmx = false;
  /// With a profiled module (prom-profile-layers): the function that
  /// returns its counters, e.g. "mobilenetv2_profile", and their layers.
  std::string profile;
  llvm::SmallVector<std::string> profileLayers;
};

/// The function prom-request-amx-state defines: 0 once AMX may be used.
inline constexpr llvm::StringLiteral amxRequest = "prom_amx_request";

/// The counters prom-profile-layers defines.
inline constexpr llvm::StringLiteral profileCounters = "prom_profile";

/// Adds `int <name>(const void *in..., void *out...)` to `module`: builds
/// descriptors for the inputs, calls the interface function, copies each
/// result (whatever its strides) into its output buffer in row-major order
/// and frees the result. Returns 0; with `requestsAmx`, first returns -1
/// (after a message on stderr) where the AMX state is refused. With
/// `profile`, also adds `const int64_t *<profile>(void)`, the address of
/// the counters.
void addEntryPoint(llvm::Module &module, const EntryPointSignature &signature);

/// Writes the C header for `signature`; `source` names the model.
void writeHeader(llvm::raw_ostream &os, const EntryPointSignature &signature,
                 llvm::StringRef source);

} // namespace promc

#endif // PROM_TOOLS_PROMC_ENTRYPOINT_H
