//===- Differential.h - compiled prom IR vs the golden model ----*- C++ -*-===//
//
// A Batch collects many small random cases of one op kind as functions of
// one module (one JIT compile for all of them) together with the bytes the
// golden model expects, then compiles, runs and compares every case.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UNITTESTS_NUMERICS_DIFFERENTIAL_H
#define PROM_UNITTESTS_NUMERICS_DIFFERENTIAL_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"
#include "Prom/Execution/JitModule.h"

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace mlir {
class OpPassManager;
class Pass;
} // namespace mlir

namespace differential {

using mlir::prom::ElementKind;
using mlir::prom::HostTensor;

/// The ISAs this host runs that prom's kernels distinguish, as LLVM CPU
/// names ("" = the host itself): the host, plus "x86-64-v3" (AVX2 without
/// AVX-512) on a host with AVX-512.
std::vector<std::string> hostIsas();

/// The kernel ISA promc picks for this host.
mlir::prom::KernelIsa hostKernelIsa();

/// A pass that gives every `opName` op of the module the kernel `make`
/// builds for it (as if prom-select-kernels had chosen it), and fails if there
/// is none: the kernel pass under test must then lower exactly these, or fail.
std::unique_ptr<mlir::Pass> createAssignKernelPass(
    std::string opName,
    std::function<mlir::prom::KernelAttr(mlir::Operation *)> make);

/// A pass that fails unless the module has `opName` ops and each was given
/// a kernel of `kind` (prom-select-kernels chose the kernel under test, not
/// the reference lowering).
std::unique_ptr<mlir::Pass> createExpectKernelPass(std::string opName,
                                                   mlir::prom::KernelKind kind);

/// Number of random cases per op kind.
inline constexpr int kCasesPerKind = 200;

/// Input, per-channel weight and output scales of a requantizing op.
struct RequantScales {
  float input, output;
  std::vector<float> weights;
};

/// Deterministic random source with the few distributions the cases need.
class Random {
public:
  explicit Random(uint64_t seed) : engine(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(engine);
  }
  double real(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(engine);
  }
  bool chance(double p) { return real(0.0, 1.0) < p; }
  /// An i8 zero point, often at the extremes.
  int32_t zeroPoint();
  /// `n` i8 values, sometimes all at one extreme (saturation tests).
  std::vector<int8_t> int8s(size_t n);
  /// A clamp range, or the full range.
  std::pair<int32_t, int32_t> clamp();
  /// Scales for `channels` output channels whose accumulators are around
  /// `typicalAcc`; some cases hit the fixed-point rule's edges.
  RequantScales requantScales(size_t channels, double typicalAcc);

private:
  std::mt19937_64 engine;
};

/// MLIR spelling helpers.
std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &element);
std::string f32(float v);
std::string f64(double v);
template <typename T> std::string list(const std::vector<T> &values);
/// dense<"0x..."> literal of row-major bytes.
std::string hexDense(const void *data, size_t bytes);
/// " clamp [lo, hi]" or "" for the full range.
std::string clampSuffix(std::pair<int32_t, int32_t> c);

class Batch {
public:
  /// Adds `func.func @case_<i>` with `signature` and `body` (which ends in a
  /// return), run on `inputs`, expected to produce `expected`.
  void add(const std::string &signature, const std::string &body,
           std::vector<HostTensor> inputs, HostTensor expected,
           std::string description);

  /// Compiles everything and reports every mismatch as a test failure;
  /// `prepare` may add passes that run before the JIT's own pipeline (an
  /// optimized lowering under test); `cpu` picks an ISA other than the
  /// host's (an LLVM CPU name the host can run); `kernelIsa` the JIT's
  /// kernels ("" = the CPU's, "none" = the reference lowering alone);
  /// `optLevel` LLVM's (promc's default is 2).
  void run(std::function<void(mlir::OpPassManager &)> prepare = nullptr,
           const std::string &cpu = "", const std::string &kernelIsa = "",
           unsigned optLevel = 1);

  size_t size() const { return cases.size(); }

private:
  struct Case {
    std::vector<HostTensor> inputs;
    HostTensor expected;
    std::string description;
  };
  std::string source;
  std::vector<Case> cases;
};

HostTensor i8Tensor(const std::vector<int64_t> &shape,
                    const std::vector<int8_t> &values);
HostTensor i32Tensor(const std::vector<int64_t> &shape,
                     const std::vector<int32_t> &values);
HostTensor f32Tensor(const std::vector<int64_t> &shape,
                     const std::vector<float> &values);

} // namespace differential

#endif // PROM_UNITTESTS_NUMERICS_DIFFERENTIAL_H
