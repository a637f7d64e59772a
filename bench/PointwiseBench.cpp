//===- PointwiseBench.cpp - MobileNetV2's 1x1 convolutions, timed ---------===//
//
// The eleven pointwise shapes of MobileNetV2 (../shared/KERNELS.md), batch
// 1, one thread, compiled by prom's lowerings: int8 through the reference
// lowering and prom-pointwise-dot, ternary through prom-ternary-to-add and
// prom-pointwise-dot, the kernels for this CPU and (on AVX-512 hosts) held
// to AVX2.
// Prints the CPU, each contender's time (median of repeated calls) and the
// ratios, all from one run, and each contender's share of its scheme's
// register-resident peak, measured in the same run (RegisterPeaks.h). Calls
// go through JitModule (inputs passed as they are, results freed
// uncopied): the same small overhead for every prom contender, measured as
// the harness column.
//
//===----------------------------------------------------------------------===//

#include "BenchUtils.h"
#include "OneDnnBaseline.h"
#include "RegisterPeaks.h"
#include "XnnpackBaseline.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/TargetDescription.h"
#include "Prom/Codegen/CPU/Passes.h"
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

using Shape = prom_bench::PointwiseShape;

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
  // What every call pays around the convolution: the call itself, and the
  // compiled code allocates (and here fills) its output buffer.
  std::string harness = "func.func @harness(%x: " + in + ") -> " + out +
                        " {\n  %e = tensor.empty() : " + out +
                        "\n  %c = arith.constant 0 : i8\n  %y = linalg.fill "
                        "ins(%c : i8) outs(%e : " +
                        out + ") -> " + out + "\n  return %y : " + out +
                        "\n}\n";
  return fn("int8", "prom.conv2d", int8,
            " stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1") +
         fn("ternary", "prom.ternary_conv2d", ternary, " stride [1, 1]") +
         harness;
}

/// Median time of `fn` in microseconds over enough calls for 0.2 s.
double medianMicros(JitModule &jit, llvm::StringRef fn,
                    llvm::ArrayRef<HostTensor> inputs) {
  return prom_bench::medianMicros(jit, fn, inputs, 2e5, 1000);
}

/// One timed column: a function of the module, compiled for `cpu` with
/// prom's kernels for `kernelIsa` ("none" = reference lowering), after
/// prom-ternary-to-add when `addOnly`; `pointwise` (on AMX hosts: "dot" or
/// "amx") holds every layer to one 1x1 kernel instead of the estimate's
/// choice.
struct Contender {
  const char *title, *function, *cpu, *kernelIsa;
  bool addOnly;
  const char *pointwise = "";
};

/// A library's column: its median per shape (empty if it failed or is not
/// built in).
struct LibraryColumn {
  const char *title;
  std::vector<double> micros;
  double total = 0;
};

} // namespace

int main() {
  std::vector<Shape> shapes(std::begin(kShapes), std::end(kShapes));
  std::vector<LibraryColumn> libraries;
  std::string implementations;
#ifdef PROM_HAVE_DNNL
  // The AVX2 child forks before anything else is set up in this process.
  prom_bench::OneDnnTimes oneDnnAvx2 =
      prom_bench::timeOneDnnInt8(shapes, /*avx2Only=*/true);
  prom_bench::OneDnnTimes oneDnn =
      prom_bench::timeOneDnnInt8(shapes, /*avx2Only=*/false);
  libraries.push_back({"oneDNN", oneDnn.micros});
  libraries.push_back({"oneDNN AVX2", oneDnnAvx2.micros});
  implementations += "oneDNN " + prom_bench::oneDnnVersion() +
                     " int8 (u8 x s8 -> u8, per-channel scales, NHWC, one "
                     "thread): native: " +
                     oneDnn.implementation +
                     "; held to AVX2: " + oneDnnAvx2.implementation + "\n";
#endif
#ifdef PROM_HAVE_XNNPACK
  prom_bench::XnnpackTimes xnnpack = prom_bench::timeXnnpackQc8(shapes);
  libraries.push_back({"XNNPACK", xnnpack.micros});
  implementations += "XNNPACK qc8 (s8 x s8 -> s8, per-channel scales, NHWC, "
                     "one thread): " +
                     xnnpack.implementation + "\n";
#endif
  DialectRegistry registry;
  registerPromDialects(registry);
  registerPromToLLVMDependencies(registry);
  MLIRContext context(registry);

  auto features = llvm::sys::getHostCPUFeatures();
  llvm::Expected<TargetAttr> host = describeTarget(&context, "", "", "");
  if (!host) {
    llvm::errs() << llvm::toString(host.takeError()) << "\n";
    return 1;
  }
  std::string hostIsa = kernelIsaName(bestKernelIsa(*host));
  llvm::outs() << "CPU: " << llvm::sys::getHostCPUName()
               << " (prom kernel ISA: " << hostIsa
               << "); prom's code is compiled for this CPU unless the column "
                  "says AVX2 (x86-64-v3: AVX2 without AVX-512), one thread\n";
  bool avx512 = features.lookup("avx512f") && features.lookup("avx2");
  prom_bench::RegisterPeaks peaks = prom_bench::measureRegisterPeaks(
      bestKernelIsa(*host) >= KernelIsa::Avx512Vnni);
  llvm::outs() << llvm::format(
      "register-resident peaks, measured here (MACs per cycle at the %.2f "
      "GHz of a chain of dependent adds): ternary AVX2 (vpmaddubsw, vpaddw) "
      "%.1f, int8 AVX2 (vpmaddubsw, vpmaddwd, vpaddd) %.1f, int8 AVX2 exact "
      "(vpmaddwd u16 x s16, vpaddd) %.1f",
      peaks.ghz, peaks.ternaryAvx2 / peaks.ghz, peaks.int8Avx2 / peaks.ghz,
      peaks.int8Avx2Exact / peaks.ghz);
  if (peaks.int8Vnni)
    llvm::outs() << llvm::format(", int8 VNNI (vpdpbusd zmm) %.1f",
                                 *peaks.int8Vnni / peaks.ghz);
  llvm::outs() << "\n";
  const char *avx2Cpu = avx512 ? "x86-64-v3" : "";
  std::vector<Contender> contenders = {
      {"int8 ref", "int8", "", "none", false},
      {"int8 dot", "int8", "", hostIsa.c_str(), false},
      {"int8 AVX2", "int8", avx2Cpu, "avx2", false},
      {"tern add", "ternary", "", "none", true},
      {"tern dot", "ternary", "", hostIsa.c_str(), false},
      {"tern AVX2", "ternary", avx2Cpu, "avx2", false},
      {"harness", "harness", "", "none", false},
  };
  if (hostIsa == "amx-int8") {
    // The estimate's choice per layer ("int8 dot"), and each kernel alone.
    contenders.insert(contenders.begin() + 2,
                      {{"int8 VNNI", "int8", "", "amx-int8", false, "dot"},
                       {"int8 AMX", "int8", "", "amx-int8", false, "amx"}});
  } else if (hostIsa == "none")
    contenders = {contenders[0], contenders[6]};
  else if (!avx512) // the host's own kernels are the AVX2 ones
    contenders = {contenders[0], contenders[1], contenders[3], contenders[4],
                  contenders[6]};

  llvm::outs() << implementations;
  llvm::outs() << llvm::format("%-15s %7s", "shape (us)", "MMACs");
  for (const Contender &c : contenders)
    llvm::outs() << llvm::format(" %10s", c.title);
  for (const LibraryColumn &l : libraries)
    llvm::outs() << llvm::format(" %10s", l.title);
  llvm::outs() << "\n";
  size_t row = 0;
  std::mt19937 rng(1);
  std::vector<double> totals(contenders.size(), 0.0);
  std::vector<std::vector<double>> times(contenders.size());
  double macs = 0;
  for (const Shape &s : kShapes) {
    std::string source = moduleFor(s, rng);
    std::vector<int8_t> x(s.hw * s.hw * s.cin);
    for (int8_t &v : x)
      v = int8_t(rng());
    HostTensor input = HostTensor::from(ElementKind::I8, {1, s.hw, s.hw, s.cin},
                                        llvm::ArrayRef<int8_t>(x));
    double m = double(s.cin * s.cout * s.hw * s.hw) / 1e6;
    macs += m;
    std::string shape = std::to_string(s.cin) + "->" + std::to_string(s.cout) +
                        "@" + std::to_string(s.hw) + "^2";
    llvm::outs() << llvm::format("%-15s %7.2f", shape.c_str(), m);
    for (size_t i = 0; i < contenders.size(); ++i) {
      const Contender &c = contenders[i];
      auto addOnly = [](PassManager &pm) {
        PromSelectKernelsOptions select;
        select.isa = "none";
        select.ternaryKernel = "add";
        pm.addPass(createPromSetTarget());
        pm.addPass(createPromSelectKernels(select));
        pm.addPass(createPromTernaryToAdd());
      };
      auto oneKernel = [&](PassManager &pm) {
        PromSelectKernelsOptions select;
        select.isa = c.kernelIsa;
        select.pointwiseKernel = c.pointwise;
        pm.addPass(createPromSetTarget());
        pm.addPass(createPromSelectKernels(select));
      };
      llvm::function_ref<void(PassManager &)> before = nullptr;
      if (c.addOnly)
        before = addOnly;
      else if (*c.pointwise)
        before = oneKernel;
      std::unique_ptr<JitModule> jit =
          prom_bench::compile(context, source, before, c.cpu, c.kernelIsa);
      double t = medianMicros(*jit, c.function, input);
      totals[i] += t;
      times[i].push_back(t);
      llvm::outs() << llvm::format(" %10.0f", t);
    }
    for (LibraryColumn &l : libraries) {
      double t = row < l.micros.size() ? l.micros[row] : 0.0;
      l.total += t;
      llvm::outs() << llvm::format(" %10.0f", t);
    }
    ++row;
    llvm::outs() << "\n";
  }
  llvm::outs() << llvm::format("%-15s %7.2f", "total", macs);
  for (double t : totals)
    llvm::outs() << llvm::format(" %10.0f", t);
  // Library columns join the ratios under their titles (those that ran).
  for (const LibraryColumn &l : libraries) {
    llvm::outs() << llvm::format(" %10.0f", l.total);
    if (l.micros.size() == shapes.size()) {
      contenders.push_back({l.title, "", "", "", false});
      totals.push_back(l.total);
      times.push_back(l.micros);
    }
  }
  llvm::outs() << "\nratios (total time of the first over the second):\n";
  auto find = [&](const char *title) -> std::optional<double> {
    for (size_t i = 0; i < contenders.size(); ++i)
      if (llvm::StringRef(contenders[i].title) == title)
        return totals[i];
    return std::nullopt;
  };
  // ratio > 1: the second is faster.
  auto ratio = [&](const char *a, const char *b) {
    if (std::optional<double> ta = find(a), tb = find(b); ta && tb)
      llvm::outs() << llvm::format("  %-9s / %-9s %6.2fx\n", a, b, *ta / *tb);
  };
  ratio("int8 ref", "int8 dot");
  ratio("int8 VNNI", "int8 dot");
  ratio("int8 AMX", "int8 dot");
  ratio("int8 dot", "tern dot");
  ratio("tern add", "tern dot");
  ratio("int8 AVX2", "tern AVX2");
  ratio("int8 ref", "int8 AVX2");
  ratio("oneDNN", "int8 dot");
  ratio("oneDNN", "int8 AMX");
  ratio("oneDNN", "tern dot");
  ratio("oneDNN AVX2", "int8 AVX2");
  ratio("oneDNN AVX2", "tern AVX2");
  ratio("XNNPACK", "int8 dot");
  ratio("XNNPACK", "tern dot");
  llvm::outs() << "GMAC/s:";
  for (size_t i = 0; i < contenders.size(); ++i)
    if (llvm::StringRef(contenders[i].title) != "harness")
      llvm::outs() << llvm::format(" %s %.1f", contenders[i].title,
                                   macs / totals[i] * 1e3);
  llvm::outs() << "\n";
  // Shares of the peak of each contender's scheme on the deep layers
  // (Cin >= 96, KERNELS.md), where the MACs rather than the epilogue bound
  // the time.
  double deepMacs = 0;
  for (const Shape &s : kShapes)
    if (s.cin >= 96)
      deepMacs += double(s.cin * s.cout * s.hw * s.hw);
  auto share = [&](const char *title, double peak) {
    for (size_t i = 0; i < contenders.size(); ++i) {
      if (llvm::StringRef(contenders[i].title) != title)
        continue;
      double micros = 0;
      for (size_t r = 0; r < shapes.size(); ++r)
        if (shapes[r].cin >= 96)
          micros += times[i][r];
      llvm::outs() << llvm::format(" %s %.0f%%", title,
                                   100 * deepMacs / (micros * 1e3) / peak);
    }
  };
  llvm::outs() << "share of the scheme's peak on the deep layers (Cin >= "
                  "96):";
  share("tern AVX2", peaks.ternaryAvx2);
  // The bench's int8 weights span [-127, 127]: prom takes the exact form.
  share("int8 AVX2", peaks.int8Avx2Exact);
  share("oneDNN AVX2", peaks.int8Avx2);
  if (peaks.int8Vnni) {
    share("int8 dot", *peaks.int8Vnni);
    share("tern dot", *peaks.int8Vnni);
    share("oneDNN", *peaks.int8Vnni);
  }
  llvm::outs() << "\n";
  // prom's times include the harness (the call, the output's
  // allocation); the libraries' do not. Estimate: minus the harness column
  // (which also fills its output, so this is a little generous to prom).
  if (std::optional<double> harness = find("harness")) {
    llvm::outs() << "minus the harness (" << llvm::format("%.0f", *harness)
                 << " us):";
    for (const char *title : {"int8 dot", "tern dot", "int8 AVX2", "tern AVX2"})
      if (std::optional<double> t = find(title))
        llvm::outs() << llvm::format(" %s %.0f us", title, *t - *harness);
    llvm::outs() << "\n";
  }
#ifndef PROM_HAVE_DNNL
  llvm::outs() << "oneDNN is not in this run (libdnnl-dev was not found at "
                  "configure time); ../shared/KERNELS.md has it for this CPU "
                  "family.\n";
#endif
#ifndef PROM_HAVE_XNNPACK
  llvm::outs() << "XNNPACK is not in this run (libxnnpack-dev with the qc8 "
                  "operators was not found at configure time).\n";
#endif
  return 0;
}
