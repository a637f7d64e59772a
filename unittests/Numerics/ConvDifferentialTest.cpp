//===- ConvDifferentialTest.cpp - convs, fully connected, pooling ---------===//
//
// Random cases (odd sizes, padding, stride 2, dilation, groups, depthwise,
// zero points at -128 and 127, saturating values, multipliers near 2^31)
// through the compiled reference lowering, compared byte for byte with the
// golden model.
//
//===----------------------------------------------------------------------===//

#include "Differential.h"
#include "Golden.h"

#include "Prom/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace differential;

namespace {

std::string describe(const golden::Conv &c) {
  return "n=" + std::to_string(c.n) + " hw=" + std::to_string(c.h) + "x" +
         std::to_string(c.w) + " ci=" + std::to_string(c.ci) +
         " co=" + std::to_string(c.co) + " k=" + std::to_string(c.kh) + "x" +
         std::to_string(c.kw) + " groups=" + std::to_string(c.groups) +
         " stride=" + std::to_string(c.stride[0]) + "," +
         std::to_string(c.stride[1]) +
         " dilation=" + std::to_string(c.dilation[0]) + "," +
         std::to_string(c.dilation[1]) + " pad=" + std::to_string(c.pad[0]) +
         "," + std::to_string(c.pad[1]) + "," + std::to_string(c.pad[2]) + "," +
         std::to_string(c.pad[3]) + " zp=" + std::to_string(c.inZp) + "->" +
         std::to_string(c.outZp);
}

/// Fills everything but the geometry of `c`: data, zero points, scales,
/// bias, clamp.
void randomizeConvData(Random &rng, golden::Conv &c) {
  int cig = c.ci / c.groups;
  c.input = rng.int8s(size_t(c.n) * c.h * c.w * c.ci);
  if (c.weights.empty())
    c.weights = rng.int8s(size_t(c.co) * c.kh * c.kw * cig);
  c.inZp = rng.zeroPoint();
  c.outZp = rng.zeroPoint();
  double typicalAcc = 128.0 * 64.0 * std::sqrt(double(c.kh * c.kw * cig));
  RequantScales s = rng.requantScales(c.co, typicalAcc);
  c.inScale = s.input;
  c.outScale = s.output;
  c.weightScales = s.weights;
  if (rng.chance(0.5)) {
    std::vector<int32_t> bias(c.co);
    int64_t range = rng.chance(0.1) ? (int64_t(1) << 30) : (1 << 16);
    for (int32_t &b : bias)
      b = static_cast<int32_t>(rng.uniform(-range, range));
    c.bias = bias;
  }
  std::tie(c.lo, c.hi) = rng.clamp();
}

/// Random window geometry whose window fits the padded input.
void randomizeWindow(Random &rng, golden::Conv &c) {
  do {
    c.h = int(rng.uniform(1, 9));
    c.w = int(rng.uniform(1, 9));
    c.kh = int(rng.uniform(1, 3));
    c.kw = int(rng.uniform(1, 3));
    c.stride = {int(rng.uniform(1, 2)), int(rng.uniform(1, 2))};
    c.dilation = {rng.chance(0.3) ? 2 : 1, rng.chance(0.3) ? 2 : 1};
    for (int &p : c.pad)
      p = int(rng.uniform(0, 2));
  } while (c.h + c.pad[0] + c.pad[1] < c.dilation[0] * (c.kh - 1) + 1 ||
           c.w + c.pad[2] + c.pad[3] < c.dilation[1] * (c.kw - 1) + 1);
}

void addConvCase(Batch &batch, const golden::Conv &c, const std::string &opName,
                 const std::string &weightsValue) {
  std::vector<int64_t> in = {c.n, c.h, c.w, c.ci};
  std::vector<int64_t> w = {c.co, c.kh, c.kw, c.ci / c.groups};
  std::vector<int64_t> out = {c.n, c.outH(), c.outW(), c.co};
  bool ternary = opName == "prom.ternary_conv2d";
  std::string sig = "(%x: " + tensorType(in, "i8");
  std::string operands = "%x, %w";
  std::string types = tensorType(in, "i8") + ", " + tensorType(w, "i8");
  std::string body;
  std::vector<HostTensor> inputs = {i8Tensor(in, c.input)};
  if (weightsValue.empty()) {
    sig += ", %w: " + tensorType(w, "i8");
    inputs.push_back(i8Tensor(w, c.weights));
  } else {
    body += "  %w = arith.constant " + weightsValue + " : " +
            tensorType(w, "i8") + "\n";
  }
  if (c.bias) {
    sig += ", %b: " + tensorType({c.co}, "i32");
    operands += ", %b";
    types += ", " + tensorType({c.co}, "i32");
    inputs.push_back(i32Tensor({c.co}, *c.bias));
  }
  sig += ") -> " + tensorType(out, "i8");
  std::string geometry =
      ternary
          ? " stride " + list(std::vector<int>{c.stride[0], c.stride[1]})
          : " stride " + list(std::vector<int>{c.stride[0], c.stride[1]}) +
                " pad " + list(std::vector<int>(c.pad.begin(), c.pad.end())) +
                " dilation " +
                list(std::vector<int>{c.dilation[0], c.dilation[1]}) +
                " groups " + std::to_string(c.groups);
  body += "  %y = " + opName + " " + operands + geometry + " input(" +
          f32(c.inScale) + ", " + std::to_string(c.inZp) + ") weight_scales " +
          list(c.weightScales) + " output(" + f32(c.outScale) + ", " +
          std::to_string(c.outZp) + ")" + clampSuffix({c.lo, c.hi}) + " : (" +
          types + ") -> " + tensorType(out, "i8") +
          "\n  return %y : " + tensorType(out, "i8");
  batch.add(sig, body, std::move(inputs), i8Tensor(out, golden::conv2d(c)),
            opName + " " + describe(c));
}

} // namespace

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
  batch.run();
}

/// Random ternary 1x1 cases; with `extremes`, the worst cases for an
/// accumulator: inputs all at one end of the int8 range, weights all +1 or
/// all -1, zero points at the other end, and long reductions.
void addTernaryCases(Batch &batch, Random &rng, int count, bool extremes) {
  for (int i = 0; i < count; ++i) {
    golden::Conv c;
    c.n = rng.chance(0.2) ? 2 : 1;
    c.h = int(rng.uniform(1, 7));
    c.w = int(rng.uniform(1, 7));
    c.kh = c.kw = 1;
    c.stride = {int(rng.uniform(1, 2)), int(rng.uniform(1, 2))};
    c.dilation = {1, 1};
    c.pad = {0, 0, 0, 0};
    c.groups = 1;
    // Now and then a long reduction, as in MobileNet's deep layers.
    c.ci =
        rng.chance(0.15) ? int(rng.uniform(64, 320)) : int(rng.uniform(1, 24));
    if (extremes && rng.chance(0.3))
      c.ci = int(rng.uniform(1024, 2048));
    c.co = int(rng.uniform(1, 12));
    c.weights.resize(size_t(c.co) * c.ci);
    double dense = rng.real(0.0, 1.0);
    int8_t sign = rng.chance(0.5) ? 1 : -1;
    for (int8_t &w : c.weights)
      w = extremes ? sign
                   : (rng.chance(dense) ? (rng.chance(0.5) ? 1 : -1) : 0);
    randomizeConvData(rng, c);
    if (extremes) {
      int8_t end = rng.chance(0.5) ? 127 : -128;
      std::fill(c.input.begin(), c.input.end(), end);
      c.inZp = end == 127 ? -128 : 127;
    }
    // Constant weights, as the compiler produces them.
    addConvCase(batch, c, "prom.ternary_conv2d",
                hexDense(c.weights.data(), c.weights.size()));
  }
}

TEST(Differential, TernaryConv2D) {
  Random rng(0x5eed0002);
  Batch batch;
  addTernaryCases(batch, rng, kCasesPerKind, /*extremes=*/false);
  batch.run();
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
          pm.addPass(mlir::prom::createPromTernaryToAdd({vectorWidth}));
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
