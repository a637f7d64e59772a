//===- PointwiseBench.cpp - MobileNetV2's 1x1 convolutions, timed ---------===//
//
// The eleven pointwise shapes of MobileNetV2 (../shared/KERNELS.md), batch
// 1, one thread, compiled for this CPU by prom's lowerings: int8 and ternary
// through the reference lowering, and ternary through prom-ternary-to-add.
// Prints the CPU, each contender's time (median of repeated calls) and the
// ratios, all from one run. Calls go through JitModule, which copies inputs
// and outputs: the same overhead for every contender.
//
//===----------------------------------------------------------------------===//

#include "BenchUtils.h"

#include "Prom/Conversion/Passes.h"
#include "Prom/Execution/JitModule.h"
#include "Prom/Pipelines/Pipelines.h"
#include "Prom/Registration/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <random>

using namespace mlir;
using namespace mlir::prom;

namespace {

struct Shape {
  int64_t cin, cout, hw;
};

// MobileNetV2's pointwise convolutions (KERNELS.md), 109.8 M MACs in all.
const Shape kShapes[] = {{16, 96, 112}, {96, 24, 56},  {144, 24, 56},
                         {24, 144, 56}, {192, 32, 28}, {384, 64, 14},
                         {64, 384, 14}, {576, 160, 7}, {960, 160, 7},
                         {960, 320, 7}, {320, 1280, 7}};

std::string hex(const std::vector<int8_t> &bytes) {
  return "dense<\"0x" +
         llvm::toHex(llvm::StringRef(
             reinterpret_cast<const char *>(bytes.data()), bytes.size())) +
         "\">";
}

/// One function per contender: @int8 (random int8 weights), @ternary
/// (TWN-like weights, 58% nonzero, as MobileNetV2's came out).
std::string moduleFor(const Shape &s, std::mt19937 &rng) {
  std::vector<int8_t> int8(s.cout * s.cin), ternary(s.cout * s.cin);
  std::uniform_int_distribution<int> byte(-127, 127);
  std::uniform_real_distribution<double> unit(0, 1);
  for (size_t i = 0; i < int8.size(); ++i) {
    int8[i] = int8_t(byte(rng));
    ternary[i] = unit(rng) < 0.58 ? (unit(rng) < 0.5 ? 1 : -1) : 0;
  }
  std::string in = "tensor<1x" + std::to_string(s.hw) + "x" +
                   std::to_string(s.hw) + "x" + std::to_string(s.cin) + "xi8>";
  std::string out = "tensor<1x" + std::to_string(s.hw) + "x" +
                    std::to_string(s.hw) + "x" + std::to_string(s.cout) +
                    "xi8>";
  std::string w = "tensor<" + std::to_string(s.cout) + "x1x1x" +
                  std::to_string(s.cin) + "xi8>";
  std::string scales = "[";
  for (int64_t c = 0; c < s.cout; ++c)
    scales += std::string(c ? ", " : "") + "0.01";
  scales += "]";
  auto fn = [&](const std::string &name, const std::string &op,
                const std::vector<int8_t> &weights,
                const std::string &geometry) {
    return "func.func @" + name + "(%x: " + in + ") -> " + out + " {\n" +
           "  %w = arith.constant " + hex(weights) + " : " + w + "\n" +
           "  %y = " + op + " %x, %w" + geometry +
           " input(0.05, -3) weight_scales " + scales + " output(0.1, 2) : (" +
           in + ", " + w + ") -> " + out + "\n  return %y : " + out + "\n}\n";
  };
  return fn("int8", "prom.conv2d", int8,
            " stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1") +
         fn("ternary", "prom.ternary_conv2d", ternary, " stride [1, 1]");
}

/// Median time of `fn` in microseconds over enough calls for 0.2 s.
double medianMicros(JitModule &jit, llvm::StringRef fn,
                    llvm::ArrayRef<HostTensor> inputs) {
  return prom_bench::medianMicros(jit, fn, inputs, 2e5, 1000);
}

/// The module, through prom-ternary-to-add when `addOnly`, for `cpu`.
std::unique_ptr<JitModule> compile(MLIRContext &context,
                                   const std::string &source, bool addOnly,
                                   llvm::StringRef cpu = "") {
  if (!addOnly)
    return prom_bench::compile(context, source, nullptr, cpu);
  return prom_bench::compile(
      context, source,
      [](PassManager &pm) { pm.addPass(createPromTernaryToAdd()); }, cpu);
}

} // namespace

int main() {
  DialectRegistry registry;
  registerPromDialects(registry);
  registerPromToLLVMDependencies(registry);
  MLIRContext context(registry);

  auto features = llvm::sys::getHostCPUFeatures();
  auto has = [&](const char *f) { return features.lookup(f); };
  llvm::outs() << "CPU: " << llvm::sys::getHostCPUName()
               << " (avx2: " << (has("avx2") ? "yes" : "no")
               << ", avx512vnni: " << (has("avx512vnni") ? "yes" : "no")
               << "); prom's code is compiled for this CPU, one thread\n";
  // On an AVX-512 host, the add form also held to AVX2 (x86-64-v3).
  bool avx2Column = has("avx512f") && has("avx2");
  llvm::outs() << llvm::format(
      "%-16s %10s %12s %14s %14s %14s %9s %9s\n", "shape", "MMACs",
      "int8 ref us", "ternary ref us", "ternary add us",
      avx2Column ? "add AVX2 us" : "", "add/int8", "add/tref");
  std::mt19937 rng(1);
  double totals[4] = {0, 0, 0, 0}, macs = 0;
  for (const Shape &s : kShapes) {
    std::string source = moduleFor(s, rng);
    std::unique_ptr<JitModule> reference = compile(context, source, false);
    std::unique_ptr<JitModule> addOnly = compile(context, source, true);
    std::unique_ptr<JitModule> addAvx2 =
        avx2Column ? compile(context, source, true, "x86-64-v3") : nullptr;
    std::vector<int8_t> x(s.hw * s.hw * s.cin);
    for (int8_t &v : x)
      v = int8_t(rng());
    HostTensor input = HostTensor::from(ElementKind::I8, {1, s.hw, s.hw, s.cin},
                                        llvm::ArrayRef<int8_t>(x));
    double t[4] = {medianMicros(*reference, "int8", input),
                   medianMicros(*reference, "ternary", input),
                   medianMicros(*addOnly, "ternary", input),
                   addAvx2 ? medianMicros(*addAvx2, "ternary", input) : 0};
    double m = double(s.cin * s.cout * s.hw * s.hw) / 1e6;
    macs += m;
    for (int i = 0; i < 4; ++i)
      totals[i] += t[i];
    std::string shape = std::to_string(s.cin) + "->" + std::to_string(s.cout) +
                        "@" + std::to_string(s.hw) + "^2";
    llvm::outs() << llvm::format(
        "%-16s %10.2f %12.0f %14.0f %14.0f %14.0f %8.2fx %8.2fx\n",
        shape.c_str(), m, t[0], t[1], t[2], t[3], t[0] / t[2], t[1] / t[2]);
  }
  llvm::outs() << llvm::format(
      "%-16s %10.2f %12.0f %14.0f %14.0f %14.0f %8.2fx %8.2fx\n", "total", macs,
      totals[0], totals[1], totals[2], totals[3], totals[0] / totals[2],
      totals[1] / totals[2]);
  llvm::outs() << "ratios: > 1 means prom-ternary-to-add is faster. Library "
                  "baselines (oneDNN, XNNPACK) are not in this run yet.\n";
  return 0;
}
