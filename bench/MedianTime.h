//===- MedianTime.h - the timing rule of prom's benchmarks -----*- C++ -*-===//
//
// Every contender in bench/ is timed the same way: at least 5 calls, then
// more until a time budget or a call count is spent; the median counts.
// Header-only and free of MLIR, so library baselines (oneDNN) share it.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_BENCH_MEDIANTIME_H
#define PROM_BENCH_MEDIANTIME_H

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace prom_bench {

/// Median time of `call()` in microseconds.
template <typename Call>
double medianMicrosOf(Call &&call, double budgetMicros, size_t maxCalls) {
  std::vector<double> times;
  double total = 0;
  while (times.size() < 5 ||
         (total < budgetMicros && times.size() < maxCalls)) {
    auto start = std::chrono::steady_clock::now();
    call();
    auto end = std::chrono::steady_clock::now();
    times.push_back(
        std::chrono::duration<double, std::micro>(end - start).count());
    total += times.back();
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  return times[times.size() / 2];
}

} // namespace prom_bench

#endif // PROM_BENCH_MEDIANTIME_H
