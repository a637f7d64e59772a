//===- RegisterPeaks.cpp - this CPU's register-resident peaks -------------===//
//
// Inline assembly, so that no compiler hoists the loop-invariant products
// or turns the dependent adds into one multiply. Operand values do not
// matter: these instructions take the same time for any data.
//
//===----------------------------------------------------------------------===//

#include "RegisterPeaks.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

using namespace prom_bench;

namespace {

/// Nanoseconds of one call of `loop(iterations)`.
double nanos(void (*loop)(uint64_t), uint64_t iterations) {
  auto start = std::chrono::steady_clock::now();
  loop(iterations);
  auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(end - start).count();
}

// Adds the products in ymm2-ymm7 into the accumulators ymm8-ymm13 with
// `op`, one chain each.
#define ACCUMULATE_PRODUCTS(op)                                                \
  op " %%ymm2, %%ymm8, %%ymm8\n" op " %%ymm3, %%ymm9, %%ymm9\n" op             \
     " %%ymm4, %%ymm10, %%ymm10\n" op " %%ymm5, %%ymm11, %%ymm11\n" op         \
     " %%ymm6, %%ymm12, %%ymm12\n" op " %%ymm7, %%ymm13, %%ymm13\n"
// The six independent products ymm2-ymm7 of ymm0 and ymm1 with `op`.
#define SIX_PRODUCTS(op)                                                       \
  op " %%ymm1, %%ymm0, %%ymm2\n" op " %%ymm1, %%ymm0, %%ymm3\n" op             \
     " %%ymm1, %%ymm0, %%ymm4\n" op " %%ymm1, %%ymm0, %%ymm5\n" op             \
     " %%ymm1, %%ymm0, %%ymm6\n" op " %%ymm1, %%ymm0, %%ymm7\n"
// The products ymm2-ymm7, s16 pairs, widened in place to s32 pair sums by
// vpmaddwd with ymm15 (ones).
#define WIDEN_PRODUCTS                                                         \
  "vpmaddwd %%ymm15, %%ymm2, %%ymm2\n"                                         \
  "vpmaddwd %%ymm15, %%ymm3, %%ymm3\n"                                         \
  "vpmaddwd %%ymm15, %%ymm4, %%ymm4\n"                                         \
  "vpmaddwd %%ymm15, %%ymm5, %%ymm5\n"                                         \
  "vpmaddwd %%ymm15, %%ymm6, %%ymm6\n"                                         \
  "vpmaddwd %%ymm15, %%ymm7, %%ymm7\n"
// What the six-chain loops write: operands, products, accumulators.
#define SIX_CHAIN_CLOBBERS                                                     \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",      \
      "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc"
// The loop's counter and branch, then the upper halves cleared.
#define END_LOOP "decq %[n]\njnz 1b\nvzeroupper\n"

// 20 dependent adds per iteration: 20 cycles (the loop counter's own
// decrement runs beside them). The addend is a register: Intel's Golden
// Cove folds chains of immediate adds at rename, several per cycle (an
// Emerald Rapids VM read 11 GHz that way, 3.3 with a register).
void dependentAdds(uint64_t iterations) {
  uint64_t value = 0, one = 1;
  asm volatile("1:\n"
               ".rept 20\n"
               "addq %[one], %[value]\n"
               ".endr\n"
               "decq %[n]\n"
               "jnz 1b\n"
               : [value] "+r"(value), [n] "+r"(iterations)
               : [one] "r"(one));
}
constexpr double kAddsPerIteration = 20;

// Six independent products and accumulators, twice per iteration: 12
// vpmaddubsw (32 u8 x s8 products, summed in pairs) and 12 vpaddw.
void ternaryAvx2(uint64_t iterations) {
  asm volatile("1:\n"
               ".rept 2\n" SIX_PRODUCTS("vpmaddubsw")
                   ACCUMULATE_PRODUCTS("vpaddw") ".endr\n" END_LOOP
               : [n] "+r"(iterations)
               :
               : SIX_CHAIN_CLOBBERS);
}
constexpr double kTernaryMacsPerIteration = 12 * 32;

// oneDNN's AVX2 int8 sequence (exact while the s16 pair sums do not
// saturate): pairs to s16, pairs of those to s32 (vpmaddwd by ones), then
// vpaddd; six chains, twice per iteration.
void int8Avx2(uint64_t iterations) {
  asm volatile(
      "1:\n"
      ".rept 2\n" SIX_PRODUCTS("vpmaddubsw")
          WIDEN_PRODUCTS ACCUMULATE_PRODUCTS("vpaddd") ".endr\n" END_LOOP
      : [n] "+r"(iterations)
      :
      : SIX_CHAIN_CLOBBERS, "xmm15");
}
constexpr double kInt8MacsPerIteration = 12 * 32;

// The exact int8 sequence for any weights: u16 x s16 pairs to s32
// (vpmaddwd, 16 MACs), then vpaddd; six chains, twice per iteration.
void int8Avx2Exact(uint64_t iterations) {
  asm volatile("1:\n"
               ".rept 2\n" SIX_PRODUCTS("vpmaddwd")
                   ACCUMULATE_PRODUCTS("vpaddd") ".endr\n" END_LOOP
               : [n] "+r"(iterations)
               :
               : SIX_CHAIN_CLOBBERS);
}
constexpr double kInt8ExactMacsPerIteration = 12 * 16;

// 14 independent vpdpbusd chains on zmm (enough to cover its latency at
// two per cycle), 64 MACs each.
void int8Vnni(uint64_t iterations) {
  asm volatile("1:\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm2\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm3\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm4\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm5\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm6\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm7\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm8\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm9\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm10\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm11\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm12\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm13\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm14\n"
               "vpdpbusd %%zmm1, %%zmm0, %%zmm15\n" END_LOOP
               : [n] "+r"(iterations)
               :
               : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                 "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
                 "xmm15", "cc");
}
constexpr double kVnniMacsPerIteration = 14 * 64;

} // namespace

RegisterPeaks prom_bench::measureRegisterPeaks(bool vnni) {
  // Round robin over the loops, the shortest time of each counting: a
  // shared machine slows some runs down, none speeds one up, and a
  // disturbance then hits runs of every loop rather than all of one.
  struct Loop {
    void (*run)(uint64_t);
    double perIteration, best = 1e300;
  };
  Loop loops[] = {{dependentAdds, kAddsPerIteration},
                  {ternaryAvx2, kTernaryMacsPerIteration},
                  {int8Avx2, kInt8MacsPerIteration},
                  {int8Avx2Exact, kInt8ExactMacsPerIteration},
                  {int8Vnni, kVnniMacsPerIteration}};
  size_t count = vnni ? 5 : 4;
  constexpr uint64_t kIterations = 1 << 18;
  for (int round = 0; round < 40; ++round)
    for (size_t i = 0; i < count; ++i)
      loops[i].best = std::min(loops[i].best, nanos(loops[i].run, kIterations));
  auto rate = [&](const Loop &l) {
    return l.perIteration * kIterations / l.best;
  };
  RegisterPeaks peaks;
  peaks.ghz = rate(loops[0]);
  peaks.ternaryAvx2 = rate(loops[1]);
  peaks.int8Avx2 = rate(loops[2]);
  peaks.int8Avx2Exact = rate(loops[3]);
  if (vnni)
    peaks.int8Vnni = rate(loops[4]);
  return peaks;
}
