//===- OneDnnBaseline.cpp - oneDNN int8 1x1 convolutions, timed -----------===//

#include "OneDnnBaseline.h"
#include "MedianTime.h"

#include "oneapi/dnnl/dnnl.hpp"

#include <random>
#include <sys/wait.h>
#include <unistd.h>

// oneDNN's Debian build runs on GNU OpenMP, which reads OMP_NUM_THREADS when
// it is loaded: one thread is set through the API instead.
extern "C" void omp_set_num_threads(int);

using namespace prom_bench;

namespace {

OneDnnTimes timeHere(const std::vector<PointwiseShape> &shapes) {
  using namespace dnnl;
  using dt = memory::data_type;
  using tag = memory::format_tag;
  OneDnnTimes result;
  omp_set_num_threads(1);
  engine cpu(engine::kind::cpu, 0);
  stream stream(cpu);
  std::mt19937 rng(1);
  for (const PointwiseShape &s : shapes) {
    memory::dims src = {1, s.cin, s.hw, s.hw}, dst = {1, s.cout, s.hw, s.hw},
                 weights = {s.cout, s.cin, 1, 1};
    memory::desc srcMd(src, dt::u8, tag::nhwc), dstMd(dst, dt::u8, tag::nhwc),
        biasMd({s.cout}, dt::s32, tag::x),
        anyWeightsMd(weights, dt::s8, tag::any);
    convolution_forward::desc desc(
        prop_kind::forward_inference, algorithm::convolution_direct, srcMd,
        anyWeightsMd, biasMd, dstMd, {1, 1}, {0, 0}, {0, 0});
    primitive_attr attr;
    attr.set_output_scales(1 << 1, std::vector<float>(s.cout, 0.01f));
    convolution_forward::primitive_desc pd(desc, attr, cpu);
    if (result.implementation.empty())
      result.implementation = pd.impl_info_str();

    memory srcMem(srcMd, cpu), dstMem(dstMd, cpu), biasMem(biasMd, cpu);
    memory userWeights({weights, dt::s8, tag::oihw}, cpu);
    memory weightsMem(pd.weights_desc(), cpu);
    auto fill = [&](memory &m, size_t bytes) {
      auto *p = static_cast<uint8_t *>(m.get_data_handle());
      for (size_t i = 0; i < bytes; ++i)
        p[i] = uint8_t(rng());
    };
    fill(srcMem, size_t(s.cin) * s.hw * s.hw);
    fill(userWeights, size_t(s.cout) * s.cin);
    std::fill_n(static_cast<int32_t *>(biasMem.get_data_handle()), s.cout, 0);
    reorder(userWeights, weightsMem).execute(stream, userWeights, weightsMem);
    stream.wait();
    primitive conv = convolution_forward(pd);
    std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, srcMem},
                                            {DNNL_ARG_WEIGHTS, weightsMem},
                                            {DNNL_ARG_BIAS, biasMem},
                                            {DNNL_ARG_DST, dstMem}};
    result.micros.push_back(medianMicrosOf(
        [&] {
          conv.execute(stream, args);
          stream.wait();
        },
        2e5, 1000));
  }
  return result;
}

OneDnnTimes timeSafely(const std::vector<PointwiseShape> &shapes) {
  try {
    return timeHere(shapes);
  } catch (const dnnl::error &e) {
    return {{}, std::string("oneDNN failed: ") + e.what()};
  }
}

/// Runs `timeSafely` held to AVX2 in a child; the parent reads the result
/// from a pipe: shape count, times, implementation name.
OneDnnTimes timeInAvx2Child(const std::vector<PointwiseShape> &shapes) {
  int fds[2];
  if (pipe(fds) != 0)
    return {{}, "pipe() failed"};
  pid_t pid = fork();
  if (pid < 0)
    return {{}, "fork() failed"};
  if (pid == 0) {
    close(fds[0]);
    OneDnnTimes times;
    if (dnnl::set_max_cpu_isa(dnnl::cpu_isa::avx2) != dnnl::status::success)
      times.implementation = "set_max_cpu_isa(avx2) failed";
    else
      times = timeSafely(shapes);
    uint64_t n = times.micros.size(), length = times.implementation.size();
    bool ok =
        write(fds[1], &n, sizeof(n)) == sizeof(n) &&
        write(fds[1], times.micros.data(), n * sizeof(double)) ==
            ssize_t(n * sizeof(double)) &&
        write(fds[1], &length, sizeof(length)) == sizeof(length) &&
        write(fds[1], times.implementation.data(), length) == ssize_t(length);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  OneDnnTimes times;
  uint64_t n = 0, length = 0;
  bool ok = read(fds[0], &n, sizeof(n)) == sizeof(n) && n <= shapes.size();
  if (ok) {
    times.micros.resize(n);
    ok = read(fds[0], times.micros.data(), n * sizeof(double)) ==
             ssize_t(n * sizeof(double)) &&
         read(fds[0], &length, sizeof(length)) == sizeof(length) &&
         length < 4096;
  }
  if (ok) {
    times.implementation.resize(length);
    ok = read(fds[0], times.implementation.data(), length) == ssize_t(length);
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!ok)
    return {{}, "the AVX2 child process failed"};
  return times;
}

} // namespace

std::string prom_bench::oneDnnVersion() {
  const dnnl_version_t *v = dnnl_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch);
}

OneDnnTimes
prom_bench::timeOneDnnInt8(const std::vector<PointwiseShape> &shapes,
                           bool avx2Only) {
  return avx2Only ? timeInAvx2Child(shapes) : timeSafely(shapes);
}
