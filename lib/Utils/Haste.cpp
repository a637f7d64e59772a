//===- Haste.cpp - HASTE hyperplanes and reference hashing ----------------===//

#include "Prom/Utils/Haste.h"

#include <cassert>

using namespace mlir::prom;

namespace {
/// SplitMix64: a fixed, portable sequence from any seed.
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 bits.
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
};
} // namespace

std::vector<int8_t> haste::generateHyperplanes(uint64_t seed, int64_t count,
                                               int64_t length, double density) {
  SplitMix64 rng{seed};
  std::vector<int8_t> planes(count * length);
  for (int8_t &e : planes) {
    bool nonzero = rng.uniform() < density;
    bool negative = rng.next() & 1;
    e = nonzero ? (negative ? -1 : 1) : 0;
  }
  return planes;
}

int64_t haste::assignBuckets(const float *tile, int64_t h, int64_t w, int64_t c,
                             const int8_t *planes, int64_t l, int64_t p,
                             std::vector<int64_t> &buckets) {
  assert(p >= h * w && l >= 1 && l <= kMaxHyperplanes);
  buckets.assign(c, 0);
  std::vector<uint64_t> codes;
  for (int64_t ch = 0; ch < c; ++ch) {
    auto at = [&](int64_t i, int64_t j) { return tile[(i * w + j) * c + ch]; };
    // Same operations in the same order as the lowering of the op: the
    // sum, every plane's S = sum of entry * x (every entry, zeros too, so
    // that non-finite inputs give what the lowering's fma gives) and R =
    // sum of entries, then dot = S - mean * R.
    float sum = 0.0f;
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j)
        sum += at(i, j);
    float mean = sum / float(h * w);
    uint64_t code = 0;
    for (int64_t k = 0; k < l; ++k) {
      float s = 0.0f, r = 0.0f;
      for (int64_t i = 0; i < h; ++i)
        for (int64_t j = 0; j < w; ++j) {
          float e = float(planes[k * p + i * w + j]);
          s = s + e * at(i, j);
          r = r + e;
        }
      float dot = s - mean * r;
      code |= uint64_t(dot > 0.0f) << k;
    }
    int64_t bucket = 0;
    while (bucket < int64_t(codes.size()) && codes[bucket] != code)
      ++bucket;
    if (bucket == int64_t(codes.size()))
      codes.push_back(code);
    buckets[ch] = bucket;
  }
  return codes.size();
}
