//===- ConvDifferentialTest.cpp - convs, fully connected, pooling ---------===//
//
// Random cases (odd sizes, padding, stride 2, dilation, groups, depthwise,
// zero points at -128 and 127, saturating values, multipliers near 2^31)
// through the compiled reference lowering, compared byte for byte with the
// golden model.
//
//===----------------------------------------------------------------------===//

#include "ConvCases.h"
#include "Differential.h"
#include "Golden.h"

#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace differential;

TEST(Differential, Conv2D) {
  Random rng(0x5eed0001);
  Batch batch;
  for (int i = 0; i < kCasesPerKind; ++i) {
    golden::Conv c;
    c.n = rng.chance(0.2) ? 2 : 1;
    randomizeWindow(rng, c);
    switch (i % 3) {
    case 0: // dense
      c.groups = 1;
      c.ci = int(rng.uniform(1, 12));
      c.co = int(rng.uniform(1, 12));
      break;
    case 1: // grouped
      c.groups = int(rng.uniform(2, 3));
      c.ci = c.groups * int(rng.uniform(1, 4));
      c.co = c.groups * int(rng.uniform(1, 4));
      break;
    default: // depthwise, channel multiplier 1 or 2
      c.ci = int(rng.uniform(1, 8));
      c.groups = c.ci;
      c.co = c.ci * int(rng.uniform(1, 2));
      break;
    }
    randomizeConvData(rng, c);
    addConvCase(batch, c, "prom.conv2d", "");
  }
  // The reference lowering alone (the host's kernels have their own tests).
  batch.run(nullptr, "", "none");
}

TEST(Differential, TernaryConv2D) {
  Random rng(0x5eed0002);
  Batch batch;
  addTernaryCases(batch, rng, kCasesPerKind, /*extremes=*/false);
  batch.run(nullptr, "", "none");
}

// prom-ternary-to-add (adds and subtracts only) against the same golden
// model: random cases and accumulator worst cases, in the vectorized form
// (16 pixels at a time, partial last tiles) and the scalar one.
// The vectorized form runs once per ISA the host has (AVX-512 hosts also
// compile for AVX2 only), since its vectors map to different instructions,
// with 1000 random cases per ISA (issue 12's bar for optimized lowerings).
void runAddOnly(uint64_t seed, unsigned vectorWidth,
                const std::vector<std::string> &isas, int cases) {
  for (const std::string &cpu : isas) {
    SCOPED_TRACE("cpu: " + (cpu.empty() ? std::string("host") : cpu));
    Random rng(seed);
    Batch batch;
    addTernaryCases(batch, rng, cases, /*extremes=*/false);
    addTernaryCases(batch, rng, cases / 4, /*extremes=*/true);
    batch.run(
        [&](mlir::OpPassManager &pm) {
          pm.addPass(createAssignKernelPass(
              "prom.ternary_conv2d", [&](mlir::Operation *op) {
                return mlir::prom::KernelAttr::get(
                    op->getContext(), mlir::prom::KernelKind::TernaryAdd,
                    mlir::prom::KernelIsa::None, std::nullopt, vectorWidth, 0,
                    0, 0, std::nullopt, "");
              }));
          pm.addPass(mlir::prom::createPromTernaryToAdd());
        },
        cpu);
  }
}

// One test per ISA, so that ctest runs them side by side.
TEST(Differential, TernaryConv2DAddOnly) {
  runAddOnly(0x5eed000a, 16, {hostIsas().front()}, 1000);
}

TEST(Differential, TernaryConv2DAddOnlyAvx2OnAvx512Host) {
  std::vector<std::string> isas = hostIsas();
  if (isas.size() < 2)
    GTEST_SKIP() << "the host has no AVX-512: its own ISA is the AVX2 run";
  runAddOnly(0x5eed000a, 16, {isas[1]}, 1000);
}

TEST(Differential, TernaryConv2DAddOnlyScalar) {
  runAddOnly(0x5eed000b, 1, {""}, kCasesPerKind);
}

TEST(Differential, FullyConnected) {
  Random rng(0x5eed0003);
  Batch batch;
  for (int i = 0; i < kCasesPerKind; ++i) {
    golden::FullyConnected f;
    f.n = int(rng.uniform(1, 3));
    f.k =
        rng.chance(0.2) ? int(rng.uniform(100, 400)) : int(rng.uniform(1, 40));
    f.m = int(rng.uniform(1, 16));
    f.input = rng.int8s(size_t(f.n) * f.k);
    f.weights = rng.int8s(size_t(f.m) * f.k);
    f.inZp = rng.zeroPoint();
    f.outZp = rng.zeroPoint();
    RequantScales s =
        rng.requantScales(f.m, 128.0 * 64.0 * std::sqrt(double(f.k)));
    f.inScale = s.input;
    f.outScale = s.output;
    f.weightScales = s.weights;
    if (rng.chance(0.5)) {
      std::vector<int32_t> bias(f.m);
      for (int32_t &b : bias)
        b = static_cast<int32_t>(rng.uniform(-(1 << 18), 1 << 18));
      f.bias = bias;
    }
    std::tie(f.lo, f.hi) = rng.clamp();

    std::vector<int64_t> in = {f.n, f.k}, w = {f.m, f.k}, out = {f.n, f.m};
    std::string sig =
        "(%x: " + tensorType(in, "i8") + ", %w: " + tensorType(w, "i8");
    std::string operands = "%x, %w";
    std::string types = tensorType(in, "i8") + ", " + tensorType(w, "i8");
    std::vector<HostTensor> inputs = {i8Tensor(in, f.input),
                                      i8Tensor(w, f.weights)};
    if (f.bias) {
      sig += ", %b: " + tensorType({f.m}, "i32");
      operands += ", %b";
      types += ", " + tensorType({f.m}, "i32");
      inputs.push_back(i32Tensor({f.m}, *f.bias));
    }
    sig += ") -> " + tensorType(out, "i8");
    std::string body = "  %y = prom.fully_connected " + operands + " input(" +
                       f32(f.inScale) + ", " + std::to_string(f.inZp) +
                       ") weight_scales " + list(f.weightScales) + " output(" +
                       f32(f.outScale) + ", " + std::to_string(f.outZp) + ")" +
                       clampSuffix({f.lo, f.hi}) + " : (" + types + ") -> " +
                       tensorType(out, "i8") +
                       "\n  return %y : " + tensorType(out, "i8");
    batch.add(sig, body, std::move(inputs),
              i8Tensor(out, golden::fullyConnected(f)),
              "fully_connected n=" + std::to_string(f.n) +
                  " k=" + std::to_string(f.k) + " m=" + std::to_string(f.m));
  }
  batch.run();
}

TEST(Differential, AvgPool2D) {
  Random rng(0x5eed0004);
  Batch batch;
  for (int i = 0; i < kCasesPerKind; ++i) {
    golden::Pool p;
    p.n = rng.chance(0.2) ? 2 : 1;
    p.h = int(rng.uniform(1, 8));
    p.w = int(rng.uniform(1, 8));
    p.c = int(rng.uniform(1, 6));
    if (rng.chance(0.25)) { // global average pooling
      p.kh = p.h;
      p.kw = p.w;
      p.stride = {1, 1};
      p.pad = {0, 0, 0, 0};
    } else {
      do {
        p.kh = int(rng.uniform(1, 3));
        p.kw = int(rng.uniform(1, 3));
        p.stride = {int(rng.uniform(1, 2)), int(rng.uniform(1, 2))};
        // Padding smaller than the kernel: no window lies wholly outside.
        p.pad = {int(rng.uniform(0, p.kh - 1)), int(rng.uniform(0, p.kh - 1)),
                 int(rng.uniform(0, p.kw - 1)), int(rng.uniform(0, p.kw - 1))};
      } while (p.h + p.pad[0] + p.pad[1] < p.kh ||
               p.w + p.pad[2] + p.pad[3] < p.kw);
    }
    p.countIncludePad = rng.chance(0.5);
    p.input = rng.int8s(size_t(p.n) * p.h * p.w * p.c);
    p.inZp = rng.zeroPoint();
    p.outZp = rng.zeroPoint();
    p.inScale = float(rng.real(0.005, 0.05));
    p.outScale = float(p.inScale * rng.real(0.3, 3.0));
    std::tie(p.lo, p.hi) = rng.clamp();

    std::vector<int64_t> in = {p.n, p.h, p.w, p.c};
    std::vector<int64_t> out = {p.n, p.outH(), p.outW(), p.c};
    std::string body =
        "  %y = prom.avg_pool2d %x kernel " +
        list(std::vector<int>{p.kh, p.kw}) + " stride " +
        list(std::vector<int>{p.stride[0], p.stride[1]}) + " pad " +
        list(std::vector<int>(p.pad.begin(), p.pad.end())) +
        (p.countIncludePad ? " count_include_pad" : "") + " input(" +
        f32(p.inScale) + ", " + std::to_string(p.inZp) + ") output(" +
        f32(p.outScale) + ", " + std::to_string(p.outZp) + ")" +
        clampSuffix({p.lo, p.hi}) + " : " + tensorType(in, "i8") + " -> " +
        tensorType(out, "i8") + "\n  return %y : " + tensorType(out, "i8");
    batch.add(
        "(%x: " + tensorType(in, "i8") + ") -> " + tensorType(out, "i8"), body,
        {i8Tensor(in, p.input)}, i8Tensor(out, golden::avgPool2d(p)),
        "avg_pool2d hw=" + std::to_string(p.h) + "x" + std::to_string(p.w) +
            " k=" + std::to_string(p.kh) + "x" + std::to_string(p.kw));
  }
  batch.run();
}
