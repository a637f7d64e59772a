//===- PointwiseDotTest.cpp - the 1x1 kernels against the golden model ----===//
//
// Every kernel form of prom-pointwise-dot, on every ISA this host runs, and
// prom-pointwise-amx where the host has AMX, byte for byte against the
// golden model: random 1x1 int8 and ternary
// convolutions (odd channel counts, pixel and channel counts that are not
// multiples of the register tile, stride 2, zero points at the ends) and
// accumulator worst cases (inputs at one end of the int8 range, the zero
// point at the other, weights at their extremes, up to 2048 channels;
// for the vpmaddubsw form, weight pairs right at its saturation limit);
// and dense convolutions with windows, padding and dilation (im2col).
//
//===----------------------------------------------------------------------===//

#include "ConvCases.h"
#include "Differential.h"
#include "Golden.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Conversion/Passes.h"
#include "Prom/Pipelines/Pipelines.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/TargetParser/Host.h"

#include "gtest/gtest.h"

using namespace differential;

namespace {

/// How int8 weights are drawn: over the full range (the AVX2 kernel then
/// uses vpmaddwd), small enough for vpmaddubsw, or pairs whose magnitudes
/// sum to exactly 128 (vpmaddubsw's limit, still exact).
enum class Int8Weights { Full, Small, PairLimit, Count };

std::vector<int8_t> drawInt8Weights(Random &rng, size_t n, Int8Weights kind) {
  std::vector<int8_t> w(n);
  for (size_t i = 0; i < n; ++i) {
    switch (kind) {
    case Int8Weights::Full:
    case Int8Weights::Count:
      w[i] = int8_t(rng.uniform(-128, 127));
      break;
    case Int8Weights::Small:
      w[i] = int8_t(rng.uniform(-64, 64));
      break;
    case Int8Weights::PairLimit:
      // Pairs along input channels as the kernel groups them; rows of an
      // odd length shift the pairing, which only lowers some sums.
      if (i % 2 == 0) {
        w[i] = int8_t(rng.uniform(-128, 127));
      } else {
        int rest = 128 - std::abs(int(w[i - 1]));
        w[i] = int8_t(rest == 128 || rng.chance(0.5) ? -rest : rest);
      }
      break;
    }
  }
  return w;
}

/// Random data for `c`'s geometry and weights (the worst-case input when
/// `extremes`), added as a prom.conv2d case.
void addInt8Case(Batch &batch, Random &rng, golden::Conv &c, bool extremes) {
  randomizeConvData(rng, c);
  if (extremes)
    setWorstCaseInput(rng, c);
  addConvCase(batch, c, "prom.conv2d",
              hexDense(c.weights.data(), c.weights.size()));
}

void addInt8Cases(Batch &batch, Random &rng, int count, bool extremes) {
  for (int i = 0; i < count; ++i) {
    golden::Conv c;
    randomizePointwise(rng, c, 9, 40, extremes);
    c.co = rng.chance(0.2) ? int(rng.uniform(33, 72)) : int(rng.uniform(1, 40));
    size_t n = size_t(c.co) * c.ci;
    auto kind = Int8Weights(i % int(Int8Weights::Count));
    if (extremes && kind == Int8Weights::Full) {
      c.weights.assign(n, rng.chance(0.5) ? 127 : -128);
    } else if (extremes && kind == Int8Weights::Small) {
      c.weights.assign(n, rng.chance(0.5) ? 64 : -64);
    } else {
      c.weights = drawInt8Weights(rng, n, kind);
    }
    addInt8Case(batch, rng, c, extremes);
  }
}

/// Dense int8 convolutions with a window (im2col, then the kernel): 1-3 x
/// 1-3 windows, stride, dilation, padding, 1-12 input channels.
void addWindowCases(Batch &batch, Random &rng, int count, bool extremes) {
  for (int i = 0; i < count; ++i) {
    golden::Conv c;
    c.n = rng.chance(0.2) ? 2 : 1;
    randomizeWindow(rng, c);
    c.groups = 1;
    c.ci = int(rng.uniform(1, 12));
    c.co = rng.chance(0.2) ? int(rng.uniform(33, 48)) : int(rng.uniform(1, 24));
    size_t n = size_t(c.co) * c.kh * c.kw * c.ci;
    auto kind = Int8Weights(i % int(Int8Weights::Count));
    if (extremes)
      c.weights.assign(n, rng.chance(0.5) ? 127 : -128);
    else
      c.weights = drawInt8Weights(rng, n, kind);
    addInt8Case(batch, rng, c, extremes);
  }
}

/// 1x1 int8 layers whose accumulators land on negative ties: the scale
/// 0.5 * 0.25 / 1 = 2^-3 (multiplier 2^30, shift 33) has a tie at every
/// acc = 4 mod 8, and small weights keep the outputs off the clamp. Rounding
/// half up there would be off by one, so the kernels must keep the
/// magnitude form for them (docs/numerics.md, smallestTie).
void addTieCases(Batch &batch, Random &rng, int count) {
  for (int i = 0; i < count; ++i) {
    golden::Conv c;
    randomizePointwise(rng, c, 9, 40, /*extremes=*/false);
    c.ci = int(rng.uniform(1, 8));
    c.co = int(rng.uniform(1, 40));
    c.weights.resize(size_t(c.co) * c.ci);
    for (int8_t &w : c.weights)
      w = int8_t(rng.uniform(-2, 2));
    randomizeConvData(rng, c);
    c.inScale = 0.5f;
    c.outScale = 1.0f;
    c.weightScales.assign(c.co, 0.25f);
    c.outZp = 0;
    c.lo = -128;
    c.hi = 127;
    c.bias.reset();
    addInt8Case(batch, rng, c, /*extremes=*/false);
  }
}

/// Ternary 1x1 layers under a ReLU-like clamp whose accumulators span more
/// than findNarrowFixedPoint searches (255 * 260 and up, every weight +-1),
/// while the values the reference does not clamp are few: the narrow form
/// comes from the window between the clamps alone, and must hold on the
/// clamped values too (worst-case inputs reach them). The dyadic scale
/// 2^-8 every other case takes it where the bias is a constant.
void addClampedWideCases(Batch &batch, Random &rng, int count) {
  for (int i = 0; i < count; ++i) {
    golden::Conv c;
    randomizePointwise(rng, c, 5, 8, /*extremes=*/false);
    c.ci = int(rng.uniform(260, 400));
    c.co = int(rng.uniform(1, 24));
    c.weights.resize(size_t(c.co) * c.ci);
    for (int8_t &w : c.weights)
      w = rng.chance(0.5) ? 1 : -1;
    randomizeConvData(rng, c);
    if (i % 4 >= 2)
      setWorstCaseInput(rng, c);
    if (i % 2 == 0) {
      c.inScale = 0.0625f;
      c.weightScales.assign(c.co, 0.0078125f);
      c.outScale = 0.125f;
    }
    c.outZp = int32_t(rng.uniform(-128, 40));
    c.lo = c.outZp;
    c.hi = c.outZp + int32_t(rng.uniform(20, 87));
    addConvCase(batch, c, "prom.ternary_conv2d",
                hexDense(c.weights.data(), c.weights.size()));
  }
}

/// One kernel form on one CPU: 1000 random 1x1 cases (600 int8, 400
/// ternary), 250 1x1 worst cases, 50 on ties, 40 clamped wide ternary
/// ones, and 200 + 50 with windows (each count divided by `fraction`),
/// compiled at LLVM's `optLevel`. With isa amx-int8, every case takes the
/// AMX kernel.
void runKernelForm(const std::string &isa, const std::string &cpu,
                   uint64_t seed, unsigned optLevel = 1, int fraction = 1) {
  SCOPED_TRACE("isa " + isa + " on cpu " + (cpu.empty() ? "host" : cpu) +
               " at -O" + std::to_string(optLevel));
  bool amx = isa == "amx-int8";
  Random rng(seed);
  Batch batch;
  addInt8Cases(batch, rng, 600 / fraction, /*extremes=*/false);
  addTernaryCases(batch, rng, 400 / fraction, /*extremes=*/false);
  addInt8Cases(batch, rng, 150 / fraction, /*extremes=*/true);
  addTernaryCases(batch, rng, 100 / fraction, /*extremes=*/true);
  addTieCases(batch, rng, 50 / fraction);
  addClampedWideCases(batch, rng, 40 / fraction);
  addWindowCases(batch, rng, 200 / fraction, /*extremes=*/false);
  addWindowCases(batch, rng, 50 / fraction, /*extremes=*/true);
  mlir::prom::PromSetTargetOptions target;
  target.cpu = cpu;
  mlir::prom::PromSelectKernelsOptions select;
  select.isa = isa;
  select.ternaryKernel = "dot";
  // Small chunks, so that most cases run several (the last overlapping its
  // neighbour); the smallest cases still fit one.
  select.chunkBytes = 512;
  if (amx)
    select.pointwiseKernel = "amx";
  batch.run(
      [&](mlir::OpPassManager &pm) {
        pm.addPass(mlir::prom::createPromSetTarget(target));
        pm.addPass(mlir::prom::createPromSelectKernels(select));
        for (const char *op : {"prom.conv2d", "prom.ternary_conv2d"})
          pm.addPass(createExpectKernelPass(
              op, amx ? mlir::prom::KernelKind::PointwiseAmx
                      : mlir::prom::KernelKind::PointwiseDot));
        pm.addPass(mlir::prom::createPromPointwiseDot());
        pm.addPass(mlir::prom::createPromPointwiseAmx());
      },
      cpu, "", optLevel);
}

} // namespace

TEST(PointwiseDot, Avx512VnniOnHost) {
  if (hostKernelIsa() < mlir::prom::KernelIsa::Avx512Vnni)
    GTEST_SKIP() << "the host has no AVX-512 VNNI";
  runKernelForm("avx512-vnni", "", 0x5eed0d01);
}

// The host's best dot form compiled at promc's -O2, on a fifth of the
// cases: LLVM's full optimization must keep the bytes too.
TEST(PointwiseDot, HostAtPromcOptLevel) {
  mlir::prom::KernelIsa isa =
      std::min(hostKernelIsa(), mlir::prom::KernelIsa::Avx512Vnni);
  if (isa == mlir::prom::KernelIsa::None)
    GTEST_SKIP() << "the host has no AVX2";
  runKernelForm(mlir::prom::kernelIsaName(isa), "", 0x5eed0d04, 2, 5);
}

TEST(PointwiseAmx, OnHost) {
  if (hostKernelIsa() != mlir::prom::KernelIsa::AmxInt8)
    GTEST_SKIP() << "the host has no AMX int8: the AMX kernels are not run "
                    "here (prom-select-kernels and the lowering are tested "
                    "in test/Codegen/CPU/X86)";
  // A third of the cases: a function per layer makes them slow to compile.
  runKernelForm("amx-int8", "", 0x5eed0d05, 1, 3);
}

TEST(PointwiseAmx, OnHostAtPromcOptLevel) {
  if (hostKernelIsa() != mlir::prom::KernelIsa::AmxInt8)
    GTEST_SKIP() << "the host has no AMX int8";
  runKernelForm("amx-int8", "", 0x5eed0d06, 2, 8);
}

TEST(PointwiseDot, Avx2OnHost) {
  if (hostKernelIsa() == mlir::prom::KernelIsa::None)
    GTEST_SKIP() << "the host has no AVX2";
  runKernelForm("avx2", "", 0x5eed0d02);
}

// The AVX2 kernels compiled for an AVX2-only CPU, where the epilogue's i64
// vectors and the masked stores take other instructions.
TEST(PointwiseDot, Avx2OnlyCpu) {
  std::vector<std::string> isas = hostIsas();
  if (isas.size() < 2)
    GTEST_SKIP() << "the host has no AVX-512: Avx2OnHost is this run";
  runKernelForm("avx2", isas[1], 0x5eed0d03);
}
