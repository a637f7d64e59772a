//===- FloatConvVectorTest.cpp - the f32 convolution kernels, bit for bit -===//
//
// prom-float-conv-vector and prom-float-depthwise-vector against the golden
// float convolutions (the reference lowering's order and roundings), per
// vector width the host runs: random 1x1 and KxK (depthwise: up to 5x5)
// convolutions with stride, dilation, padding, batch 2, and channel and
// pixel counts that rarely fill a tile. The outputs must be the same bytes.
//
//===----------------------------------------------------------------------===//

#include "ConvCases.h"
#include "Differential.h"
#include "Golden.h"

#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

using namespace differential;

namespace {

std::vector<float> uniforms(Random &rng, size_t n, double range) {
  std::vector<float> v(n);
  for (float &x : v)
    x = float(rng.real(-range, range));
  return v;
}

/// Whether TOSA accepts `c`'s geometry: the strides divide the padded
/// extent the window moves over.
bool stridesDivide(const golden::Conv &c) {
  auto divides = [](int extent, int pads, int k, int d, int s) {
    return (extent - 1 + pads - (k - 1) * d) % s == 0;
  };
  return divides(c.h, c.pad[0] + c.pad[1], c.kh, c.dilation[0], c.stride[0]) &&
         divides(c.w, c.pad[2] + c.pad[3], c.kw, c.dilation[1], c.stride[1]);
}

/// A geometry TOSA accepts (stridesDivide).
void randomizeGeometry(Random &rng, golden::Conv &c) {
  do {
    if (rng.chance(0.4)) {
      randomizePointwise(rng, c, 9, 40, /*extremes=*/false);
    } else {
      c.n = rng.chance(0.2) ? 2 : 1;
      randomizeWindow(rng, c);
      c.groups = 1;
      c.ci = int(rng.uniform(1, 16));
    }
  } while (!stridesDivide(c));
  c.co = rng.chance(0.2) ? int(rng.uniform(33, 70)) : int(rng.uniform(1, 24));
}

std::string f32Constant(const std::vector<float> &v,
                        const std::vector<int64_t> &shape) {
  return "\"tosa.const\"() {values = " +
         hexDense(v.data(), v.size() * sizeof(float)) + " : " +
         tensorType(shape, "f32") + "} : () -> " + tensorType(shape, "f32");
}

/// The attributes of a TOSA convolution with `c`'s window.
std::string windowAttrs(const golden::Conv &c) {
  auto list = [](auto a, auto b) {
    return std::to_string(a) + ", " + std::to_string(b);
  };
  return "acc_type = f32, dilation = array<i64: " +
         list(c.dilation[0], c.dilation[1]) +
         ">, pad = array<i64: " + list(c.pad[0], c.pad[1]) + ", " +
         list(c.pad[2], c.pad[3]) +
         ">, stride = array<i64: " + list(c.stride[0], c.stride[1]) + ">";
}

/// A case of TOSA convolution `op` of `c`'s geometry with weights `w` of
/// `wShape` and one bias per output channel: `expected` its output.
void addTosaCase(Batch &batch, const golden::Conv &c, const std::string &op,
                 const std::vector<float> &input, const std::vector<float> &w,
                 const std::vector<int64_t> &wShape,
                 const std::vector<float> &bias,
                 const std::vector<float> &expected) {
  std::vector<int64_t> in = {c.n, c.h, c.w, c.ci},
                       out = {c.n, c.outH(), c.outW(), c.co};
  std::string body =
      "  %w = " + f32Constant(w, wShape) +
      "\n  %b = " + f32Constant(bias, {c.co}) +
      "\n  %zp = \"tosa.const\"() {values = dense<0.0> : tensor<1xf32>} : () "
      "-> tensor<1xf32>\n  %y = " +
      op + " %x, %w, %b, %zp, %zp {" + windowAttrs(c) + "} : (" +
      tensorType(in, "f32") + ", " + tensorType(wShape, "f32") + ", " +
      tensorType({c.co}, "f32") + ", tensor<1xf32>, tensor<1xf32>) -> " +
      tensorType(out, "f32") + "\n  return %y : " + tensorType(out, "f32") +
      "\n";
  batch.add("(%x: " + tensorType(in, "f32") + ") -> " + tensorType(out, "f32"),
            body, {f32Tensor(in, input)}, f32Tensor(out, expected),
            describe(c));
}

void addFloatCase(Batch &batch, Random &rng) {
  golden::Conv c;
  randomizeGeometry(rng, c);
  std::vector<float> input = uniforms(rng, size_t(c.n) * c.h * c.w * c.ci, 2.0);
  std::vector<float> weights =
      uniforms(rng, size_t(c.co) * c.kh * c.kw * c.ci, 1.0);
  std::vector<float> bias = uniforms(rng, size_t(c.co), 0.5);
  addTosaCase(batch, c, "tosa.conv2d", input, weights, {c.co, c.kh, c.kw, c.ci},
              bias, golden::convF32(c, input, weights, bias));
}

/// A random f32 depthwise convolution of at least `lanes` channels: windows
/// 1x1 to 3x3 and 5x5 (MobileNetV3's), with stride, dilation and padding.
void addDepthwiseCase(Batch &batch, Random &rng, int64_t lanes) {
  golden::Conv c;
  c.n = rng.chance(0.2) ? 2 : 1;
  do {
    randomizeWindow(rng, c);
    if (rng.chance(0.25)) {
      c.kh = c.kw = 5;
      c.h = int(rng.uniform(4, 12));
      c.w = int(rng.uniform(4, 12));
      c.dilation = {1, 1};
    }
  } while (c.h + c.pad[0] + c.pad[1] < c.dilation[0] * (c.kh - 1) + 1 ||
           c.w + c.pad[2] + c.pad[3] < c.dilation[1] * (c.kw - 1) + 1 ||
           !stridesDivide(c));
  c.ci = c.co = c.groups =
      int(rng.chance(0.2) ? rng.uniform(lanes, 4 * lanes + 7)
                          : rng.uniform(lanes, lanes + 9));
  std::vector<float> input = uniforms(rng, size_t(c.n) * c.h * c.w * c.ci, 2.0);
  std::vector<float> weights = uniforms(rng, size_t(c.kh) * c.kw * c.co, 1.0);
  std::vector<float> bias = uniforms(rng, size_t(c.co), 0.5);
  addTosaCase(batch, c, "tosa.depthwise_conv2d", input, weights,
              {c.kh, c.kw, c.co, 1}, bias,
              golden::depthwiseF32(c, input, weights, bias));
}

/// 600 random convolutions through the kernels of one vector width.
void runFloatKernels(int64_t lanes, const std::string &cpu, uint64_t seed) {
  SCOPED_TRACE("lanes " + std::to_string(lanes) + " on cpu " +
               (cpu.empty() ? "host" : cpu));
  Random rng(seed);
  Batch batch;
  for (int i = 0; i < 600; ++i)
    addFloatCase(batch, rng);
  batch.run(
      [&](mlir::OpPassManager &pm) {
        pm.addPass(
            createAssignKernelPass("tosa.conv2d", [&](mlir::Operation *op) {
              return mlir::prom::KernelAttr::get(
                  op->getContext(), mlir::prom::KernelKind::FloatConvVector,
                  mlir::prom::KernelIsa::None, std::nullopt, lanes,
                  lanes >= 16 ? 6 : 4, 2, 0, std::nullopt, "");
            }));
        pm.addPass(mlir::prom::createPromFloatConvVector());
      },
      cpu, "none");
}

/// `count` random depthwise convolutions through the kernel of one vector
/// width, `tile` output pixels a tile.
void runFloatDepthwise(int64_t lanes, int64_t tile, int count,
                       const std::string &cpu, uint64_t seed) {
  SCOPED_TRACE("lanes " + std::to_string(lanes) + ", tile " +
               std::to_string(tile) + " on cpu " +
               (cpu.empty() ? "host" : cpu));
  Random rng(seed);
  Batch batch;
  for (int i = 0; i < count; ++i)
    addDepthwiseCase(batch, rng, lanes);
  batch.run(
      [&](mlir::OpPassManager &pm) {
        pm.addPass(createAssignKernelPass(
            "tosa.depthwise_conv2d", [&](mlir::Operation *op) {
              return mlir::prom::KernelAttr::get(
                  op->getContext(),
                  mlir::prom::KernelKind::FloatDepthwiseVector,
                  mlir::prom::KernelIsa::None, std::nullopt, lanes, tile, 0, 0,
                  std::nullopt, "");
            }));
        pm.addPass(mlir::prom::createPromFloatDepthwiseVector());
      },
      cpu, "none");
}

} // namespace

TEST(FloatConvVector, SixteenLanes) { runFloatKernels(16, "", 0x5eedf001); }

// Eight lanes compiled for an AVX2-only CPU where the host has AVX-512 (the
// width promc uses there), else for the host.
TEST(FloatConvVector, EightLanes) {
  std::vector<std::string> isas = hostIsas();
  runFloatKernels(8, isas.size() > 1 ? isas[1] : "", 0x5eedf002);
}

// The reference lowering of the same cases against the same golden model:
// the claim that the kernels equal the reference rests on both.
TEST(FloatConvVector, ReferenceMatchesGolden) {
  Random rng(0x5eedf001);
  Batch batch;
  for (int i = 0; i < 200; ++i)
    addFloatCase(batch, rng);
  batch.run(nullptr, "", "none");
}

// prom-select-kernels' tile, 4 pixels, with 16 lanes and with 8 (on an
// AVX2-only CPU where the host has AVX-512); and a wider, odd tile.
TEST(FloatDepthwiseVector, SixteenLanes) {
  runFloatDepthwise(16, 4, 300, "", 0x5eedd001);
}

TEST(FloatDepthwiseVector, EightLanes) {
  std::vector<std::string> isas = hostIsas();
  runFloatDepthwise(8, 4, 300, isas.size() > 1 ? isas[1] : "", 0x5eedd002);
}

TEST(FloatDepthwiseVector, OddTile) {
  runFloatDepthwise(16, 3, 100, "", 0x5eedd003);
}

// The reference lowering against the same golden model.
TEST(FloatDepthwiseVector, ReferenceMatchesGolden) {
  Random rng(0x5eedd001);
  Batch batch;
  for (int i = 0; i < 100; ++i)
    addDepthwiseCase(batch, rng, 16);
  batch.run(nullptr, "", "none");
}
