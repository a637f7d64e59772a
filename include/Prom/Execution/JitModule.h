//===- JitModule.h - run compiled prom IR in-process ------------*- C++ -*-===//
//
// Lowers a module through `prom-to-llvm`, JIT-compiles it for the host CPU
// with MLIR's ExecutionEngine, and calls its functions on plain host
// buffers. Tests and tools use it to run prom IR and compare bytes.
//
// Why a JIT rather than object files and a harness binary: tests build
// hundreds of small functions, and one in-process compile of one module
// with all of them takes a fraction of a second, with no compiler driver,
// linker or file handling in between.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_EXECUTION_JITMODULE_H
#define PROM_EXECUTION_JITMODULE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace mlir {
class ExecutionEngine;
namespace prom {

enum class ElementKind { I8, I32, I64, F32 };

/// A dense row-major tensor in host memory.
struct HostTensor {
  ElementKind kind;
  llvm::SmallVector<int64_t> shape;
  std::vector<uint8_t> bytes;

  static size_t elementSize(ElementKind kind) {
    return kind == ElementKind::I8 ? 1 : kind == ElementKind::I64 ? 8 : 4;
  }
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  template <typename T>
  static HostTensor from(ElementKind kind, llvm::ArrayRef<int64_t> shape,
                         llvm::ArrayRef<T> values) {
    HostTensor t{kind, llvm::SmallVector<int64_t>(shape), {}};
    t.bytes.resize(values.size() * sizeof(T));
    std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
    return t;
  }
  template <typename T> llvm::ArrayRef<T> as() const {
    return {reinterpret_cast<const T *>(bytes.data()),
            bytes.size() / sizeof(T)};
  }
};

class JitModule {
public:
  /// Lowers `module` in place (prom, TOSA, linalg on tensors; static or
  /// dynamic shapes) and compiles it at LLVM `optLevel` for the host, or for
  /// `cpu` (an LLVM CPU name such as "x86-64-v3", i.e. AVX2 without
  /// AVX-512) when given: code for any ISA the host can run. prom's
  /// optimized kernels are those of that CPU's ISA, unless `kernelIsa`
  /// names one (prom-to-llvm's kernel-isa: "none" = the reference lowering
  /// only, "avx2", "avx512-vnni"). With `profile`, the compiled code counts
  /// each layer's cycles (prom-profile-layers; measureProfile reads them).
  static llvm::Expected<std::unique_ptr<JitModule>>
  compile(ModuleOp module, unsigned optLevel = 2, llvm::StringRef cpu = "",
          llvm::StringRef kernelIsa = "", bool profile = false);
  ~JitModule();

  /// Calls the public function `name` with `inputs` (kinds and ranks as in
  /// its signature before lowering) and returns its results; without
  /// `keepResults`, frees them uncopied and returns none (benchmarks: the
  /// call then costs what a caller of the compiled code pays, not the
  /// copies into HostTensors).
  llvm::Expected<llvm::SmallVector<HostTensor>>
  call(llvm::StringRef name, llvm::ArrayRef<HostTensor> inputs,
       bool keepResults = true);

  /// The address of the compiled module's public symbol `name` (a function
  /// or a global, e.g. prom-haste's `prom_haste_channels` counters).
  llvm::Expected<void *> lookup(llvm::StringRef name);

private:
  struct TensorSignature {
    ElementKind kind;
    llvm::SmallVector<int64_t> shape; // ShapedType::kDynamic where unknown
  };
  struct FunctionSignature {
    llvm::SmallVector<TensorSignature> inputs, results;
    /// _mlir_ciface_<name>'s packed wrapper: each argument by address.
    void (*packed)(void **) = nullptr;
  };

  JitModule() = default;

  std::unique_ptr<ExecutionEngine> engine;
  /// Frees a result buffer: the module's own allocator, or libc's.
  void (*releaseBuffer)(void *) = std::free;
  llvm::StringMap<FunctionSignature> signatures;
};

} // namespace prom
} // namespace mlir

#endif // PROM_EXECUTION_JITMODULE_H
