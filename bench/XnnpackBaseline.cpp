//===- XnnpackBaseline.cpp - XNNPACK int8 1x1 convolutions, timed ---------===//
//
// XNNPACK's qc8 convolution operator on each shape: created, set up and
// checked against a scalar reference once, then run repeatedly (one thread:
// no threadpool). Written against the Debian snapshot's API (Feb 2022).
//
//===----------------------------------------------------------------------===//

#include "XnnpackBaseline.h"
#include "MedianTime.h"

#include <xnnpack.h>

#include <cmath>
#include <cstdlib>
#include <random>

using namespace prom_bench;

namespace {

// The quantization of every shape: TFLite's int8 scheme, as in MobileNetV2
// int8 models (weights symmetric, activations with a zero point).
constexpr float kInputScale = 0.05f, kWeightScale = 0.01f, kOutputScale = 0.1f;
constexpr int8_t kInputZeroPoint = -3, kOutputZeroPoint = 2;

/// What XNNPACK runs here. Its choice lives in an unexported table, so this
/// repeats the x86 rule for qc8 GEMMs of the Debian snapshot (ae108ef, Feb
/// 2022) on the same CPUID bits; 1x1 convolutions without padding or stride
/// take the GEMM path. That snapshot has no AVX-512 VNNI or AVX-VNNI kernel.
std::string describeMicrokernels() {
  std::string picks = "XNNPACK picks its own microkernels by cpuinfo";
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  const char *kernel = "3x4c8 sse2";
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    kernel = "4x16c8 avx512skx";
  else if (__builtin_cpu_supports("xop"))
    kernel = "2x4c8 xop";
  else if (__builtin_cpu_supports("avx2"))
    kernel = "3x8c8 avx2";
  else if (__builtin_cpu_supports("avx"))
    kernel = "2x4c8 avx";
  else if (__builtin_cpu_supports("sse4.1"))
    kernel = "3x4c8 sse41";
  picks += std::string("; by ae108ef's rule: qc8 gemm ") + kernel;
#endif
  return picks;
}

/// The output XNNPACK should give at `pixel`, `channel`: the int32 sum
/// requantized in float, as XNNPACK's fp32 kernels do.
int8_t referenceOutput(const std::vector<int8_t> &input,
                       const std::vector<int8_t> &weights,
                       const std::vector<int32_t> &bias, int64_t cin,
                       int64_t pixel, int64_t channel) {
  int32_t acc = bias[channel];
  for (int64_t c = 0; c < cin; ++c)
    acc += (int32_t(input[pixel * cin + c]) - kInputZeroPoint) *
           int32_t(weights[channel * cin + c]);
  float y =
      std::nearbyint(float(acc) * (kInputScale * kWeightScale / kOutputScale)) +
      float(kOutputZeroPoint);
  return int8_t(std::fmin(std::fmax(y, -128.0f), 127.0f));
}

/// Times one shape into `micros`; the failure otherwise.
std::string timeShape(const PointwiseShape &shape, std::mt19937 &rng,
                      std::vector<double> &micros) {
  auto [cin, cout, hw] = shape;
  int64_t pixels = hw * hw;
  // XNNPACK may read (never use) XNN_EXTRA_BYTES past the input's end.
  std::vector<int8_t> input(pixels * cin + XNN_EXTRA_BYTES);
  std::vector<int8_t> weights(cout * cin), output(pixels * cout);
  std::vector<int32_t> bias(cout);
  std::vector<float> weightScales(cout, kWeightScale);
  std::uniform_int_distribution<int> byte(-128, 127), weight(-127, 127),
      smallBias(0, 100);
  for (int8_t &x : input)
    x = int8_t(byte(rng));
  for (int8_t &w : weights) // [cout][1][1][cin]: XNNPACK's OHWI.
    w = int8_t(weight(rng));
  for (int32_t &b : bias)
    b = smallBias(rng);

  xnn_operator_t op = nullptr;
  xnn_status status = xnn_create_convolution2d_nhwc_qc8(
      /*input_padding_top=*/0, /*input_padding_right=*/0,
      /*input_padding_bottom=*/0, /*input_padding_left=*/0,
      /*kernel_height=*/1, /*kernel_width=*/1, /*subsampling_height=*/1,
      /*subsampling_width=*/1, /*dilation_height=*/1, /*dilation_width=*/1,
      /*groups=*/1, /*group_input_channels=*/cin,
      /*group_output_channels=*/cout, /*input_channel_stride=*/cin,
      /*output_channel_stride=*/cout, kInputZeroPoint, kInputScale,
      weightScales.data(), weights.data(), bias.data(), kOutputZeroPoint,
      kOutputScale, /*output_min=*/-128, /*output_max=*/127, /*flags=*/0, &op);
  if (status != xnn_status_success)
    return "xnn_create_convolution2d_nhwc_qc8 failed: status " +
           std::to_string(status);
  // A null threadpool runs on the calling thread: one thread.
  status = xnn_setup_convolution2d_nhwc_qc8(op, /*batch_size=*/1, hw, hw,
                                            input.data(), output.data(),
                                            /*threadpool=*/nullptr);
  for (int i = 0; status == xnn_status_success && i < 3; ++i)
    status = xnn_run_operator(op, /*threadpool=*/nullptr);
  if (status != xnn_status_success) {
    xnn_delete_operator(op);
    return "XNNPACK setup or run failed: status " + std::to_string(status);
  }

  // A few outputs against a scalar reference (XNNPACK rounds in its own way:
  // off by one is fine), so a wrong layout is not timed as a baseline.
  std::uniform_int_distribution<int64_t> anyPixel(0, pixels - 1),
      anyChannel(0, cout - 1);
  for (int i = 0; i < 64; ++i) {
    int64_t p = anyPixel(rng), c = anyChannel(rng);
    int expected = referenceOutput(input, weights, bias, cin, p, c);
    if (std::abs(int(output[p * cout + c]) - expected) > 1) {
      xnn_delete_operator(op);
      return "XNNPACK's output differs from the reference";
    }
  }

  micros.push_back(medianMicrosOf(
      [&] { status = xnn_run_operator(op, /*threadpool=*/nullptr); }, 2e5,
      1000));
  xnn_delete_operator(op);
  if (status != xnn_status_success) {
    micros.pop_back();
    return "xnn_run_operator failed: status " + std::to_string(status);
  }
  return "";
}

} // namespace

XnnpackTimes
prom_bench::timeXnnpackQc8(const std::vector<PointwiseShape> &shapes) {
  XnnpackTimes result;
  xnn_status status = xnn_initialize(/*allocator=*/nullptr);
  if (status != xnn_status_success)
    return {{}, "xnn_initialize failed: status " + std::to_string(status)};
  result.implementation = describeMicrokernels();
  std::mt19937 rng(1);
  for (const PointwiseShape &shape : shapes) {
    std::string failure = timeShape(shape, rng, result.micros);
    if (!failure.empty()) {
      result = {{}, failure};
      break;
    }
  }
  xnn_deinitialize();
  return result;
}
