//===- Haste.h - HASTE hyperplanes and reference hashing --------*- C++ -*-===//
//
// The data-free parts of HASTE that prom-haste bakes into the IR, and the
// plain C++ form of what the HASTE ops compute, which the tests hold the
// compiled code to (docs/haste.md).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UTILS_HASTE_H
#define PROM_UTILS_HASTE_H

#include <cstdint>
#include <vector>

namespace mlir {
namespace prom {
namespace haste {

/// Largest number of hyperplanes (codes are 64-bit masks; bit 63 unused).
inline constexpr int64_t kMaxHyperplanes = 63;

/// The hyperplane seed of the `layer`-th convolution prom-haste rewrites
/// (counting every tosa.conv2d it walks, in order) for the pass's `seed`.
inline uint64_t layerSeed(uint64_t seed, uint64_t layer) {
  return seed * 0x100000001b3ull + layer;
}

/// `count` x `length` sparse random hyperplanes, row-major, entries in
/// {-1, 0, +1}: each entry is nonzero with probability `density`, then +1 or
/// -1 with equal probability. Deterministic for a given seed on every
/// platform (SplitMix64, no std:: distributions).
std::vector<int8_t> generateHyperplanes(uint64_t seed, int64_t count,
                                        int64_t length, double density);

/// The bucket of each channel of an [h, w, c] (HWC) tile, as
/// prom.haste_buckets defines it: buckets numbered by first channel.
/// `planes` is [l, p] with p >= h * w. Returns the bucket count.
int64_t assignBuckets(const float *tile, int64_t h, int64_t w, int64_t c,
                      const int8_t *planes, int64_t l, int64_t p,
                      std::vector<int64_t> &buckets);

} // namespace haste
} // namespace prom
} // namespace mlir

#endif // PROM_UTILS_HASTE_H
