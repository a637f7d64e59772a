//===- HasteTest.cpp - prom-haste against a C++ golden HASTE --------------===//
//
// The golden model below is HASTE written out plainly (hash each output
// patch's input tile, average the inputs and sum the filter slices of each
// bucket, convolve), in the operation order docs/haste.md fixes, so the
// compiled float code must match it bit for bit. Its properties (no
// collision = the original conv, copies always merge, L = 1 gives at most
// two buckets) are checked on the golden model itself.
//
//===----------------------------------------------------------------------===//

#include "Differential.h"

#include "Prom/Transforms/Passes.h"
#include "Prom/Utils/Haste.h"

#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>

using namespace differential;
namespace haste = mlir::prom::haste;

namespace {

/// One float conv (one image, NHWC input, OHWI weights) and its HASTE
/// settings.
struct HasteConv {
  int64_t h, w, c, o, kh, kw;
  std::array<int64_t, 2> stride{1, 1}, dilation{1, 1};
  std::array<int64_t, 4> pad{0, 0, 0, 0}; // top, bottom, left, right
  int64_t patchH = 0, patchW = 0;         // 0: the whole output map
  std::vector<float> input, weights, bias;

  int64_t outH() const {
    return (h + pad[0] + pad[1] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
  }
  int64_t outW() const {
    return (w + pad[2] + pad[3] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
  }
  int64_t tileH(int64_t out) const {
    return (out - 1) * stride[0] + (kh - 1) * dilation[0] + 1;
  }
  int64_t tileW(int64_t out) const {
    return (out - 1) * stride[1] + (kw - 1) * dilation[1] + 1;
  }
  int64_t ph() const { return patchH ? patchH : outH(); }
  int64_t pw() const { return patchW ? patchW : outW(); }
  /// Hyperplane length: the largest tile.
  int64_t planeLength() const { return tileH(ph()) * tileW(pw()); }
};

struct GoldenResult {
  std::vector<float> output;
  std::vector<int64_t> bucketCounts; // one per patch
};

/// The plain conv over `x` ([hp, wp, ci] already padded) and `w`
/// ([o, kh, kw, ci]) for output rows/cols [0, oh) x [0, ow), written into
/// `out` at (oh0, ow0) of an [outH, outW, o] map: bias, then kh, kw, c.
void convolve(const HasteConv &p, const std::vector<float> &x, int64_t wp,
              const std::vector<float> &w, int64_t ci, int64_t oh, int64_t ow,
              int64_t oh0, int64_t ow0, std::vector<float> &out) {
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j)
      for (int64_t f = 0; f < p.o; ++f) {
        float acc = p.bias[f];
        for (int64_t a = 0; a < p.kh; ++a)
          for (int64_t b = 0; b < p.kw; ++b)
            for (int64_t c = 0; c < ci; ++c) {
              int64_t y = i * p.stride[0] + a * p.dilation[0];
              int64_t z = j * p.stride[1] + b * p.dilation[1];
              float product = x[(y * wp + z) * ci + c] *
                              w[((f * p.kh + a) * p.kw + b) * ci + c];
              acc = acc + product; // one rounding each, as the compiled code
            }
        out[((oh0 + i) * p.outW() + ow0 + j) * p.o + f] = acc;
      }
}

std::vector<float> padInput(const HasteConv &p, int64_t &hp, int64_t &wp) {
  hp = p.h + p.pad[0] + p.pad[1];
  wp = p.w + p.pad[2] + p.pad[3];
  std::vector<float> padded(hp * wp * p.c, 0.0f);
  for (int64_t i = 0; i < p.h; ++i)
    for (int64_t j = 0; j < p.w; ++j)
      for (int64_t c = 0; c < p.c; ++c)
        padded[((i + p.pad[0]) * wp + j + p.pad[2]) * p.c + c] =
            p.input[(i * p.w + j) * p.c + c];
  return padded;
}

/// The conv without HASTE.
std::vector<float> plainConv(const HasteConv &p) {
  int64_t hp, wp;
  std::vector<float> padded = padInput(p, hp, wp);
  std::vector<float> out(p.outH() * p.outW() * p.o);
  convolve(p, padded, wp, p.weights, p.c, p.outH(), p.outW(), 0, 0, out);
  return out;
}

/// HASTE with hyperplanes `planes` ([l, p.planeLength()]).
GoldenResult hasteConv(const HasteConv &p, const std::vector<int8_t> &planes,
                       int64_t l) {
  int64_t hp, wp;
  std::vector<float> padded = padInput(p, hp, wp);
  GoldenResult r;
  r.output.assign(p.outH() * p.outW() * p.o, 0.0f);
  for (int64_t oh0 = 0; oh0 < p.outH(); oh0 += p.ph())
    for (int64_t ow0 = 0; ow0 < p.outW(); ow0 += p.pw()) {
      int64_t oh = std::min(p.ph(), p.outH() - oh0);
      int64_t ow = std::min(p.pw(), p.outW() - ow0);
      int64_t th = p.tileH(oh), tw = p.tileW(ow);
      std::vector<float> tile(th * tw * p.c);
      for (int64_t i = 0; i < th; ++i)
        for (int64_t j = 0; j < tw; ++j)
          for (int64_t c = 0; c < p.c; ++c)
            tile[(i * tw + j) * p.c + c] =
                padded[((oh0 * p.stride[0] + i) * wp + ow0 * p.stride[1] + j) *
                           p.c +
                       c];
      std::vector<int64_t> buckets;
      int64_t n = haste::assignBuckets(tile.data(), th, tw, p.c, planes.data(),
                                       l, p.planeLength(), buckets);
      r.bucketCounts.push_back(n);
      // Inputs averaged, filter slices summed, channels in increasing order.
      std::vector<float> xm(th * tw * n, 0.0f), counts(n, 0.0f);
      std::vector<float> wm(p.o * p.kh * p.kw * n, 0.0f);
      for (int64_t c = 0; c < p.c; ++c) {
        int64_t b = buckets[c];
        for (int64_t e = 0; e < th * tw; ++e)
          xm[e * n + b] = xm[e * n + b] + tile[e * p.c + c];
        for (int64_t e = 0; e < p.o * p.kh * p.kw; ++e)
          wm[e * n + b] = wm[e * n + b] + p.weights[e * p.c + c];
        counts[b] = counts[b] + 1.0f;
      }
      for (int64_t e = 0; e < th * tw; ++e)
        for (int64_t b = 0; b < n; ++b)
          xm[e * n + b] = xm[e * n + b] / counts[b];
      convolve(p, xm, tw, wm, n, oh, ow, oh0, ow0, r.output);
    }
  return r;
}

std::vector<float> normals(Random &rng, size_t n) {
  std::vector<float> v(n);
  for (float &x : v) // Box-Muller from the deterministic uniform source
    x = float(std::sqrt(-2.0 * std::log(rng.real(1e-12, 1.0))) *
              std::cos(6.283185307179586 * rng.real(0.0, 1.0)));
  return v;
}

HasteConv randomConv(Random &rng, bool patches) {
  HasteConv p;
  do {
    p.h = rng.uniform(1, 10);
    p.w = rng.uniform(1, 10);
    p.kh = p.kw = rng.chance(0.5) ? 1 : 3;
    p.stride = {rng.uniform(1, 2), rng.uniform(1, 2)};
    p.dilation = {rng.chance(0.2) ? 2 : 1, rng.chance(0.2) ? 2 : 1};
    for (int64_t &v : p.pad)
      v = p.kh == 1 ? 0 : rng.uniform(0, 1);
    // TOSA wants the strides to divide the padded extent exactly.
  } while (p.h + p.pad[0] + p.pad[1] < p.dilation[0] * (p.kh - 1) + 1 ||
           p.w + p.pad[2] + p.pad[3] < p.dilation[1] * (p.kw - 1) + 1 ||
           (p.h - 1 + p.pad[0] + p.pad[1] - (p.kh - 1) * p.dilation[0]) %
                   p.stride[0] !=
               0 ||
           (p.w - 1 + p.pad[2] + p.pad[3] - (p.kw - 1) * p.dilation[1]) %
                   p.stride[1] !=
               0);
  p.c = rng.uniform(1, 24);
  p.o = rng.uniform(1, 8);
  if (patches) {
    p.patchH = rng.uniform(1, p.outH());
    p.patchW = rng.uniform(1, p.outW());
  }
  p.input = normals(rng, p.h * p.w * p.c);
  // Redundant channels: some are exact or scaled copies of others.
  for (int64_t c = 1; c < p.c; ++c)
    if (rng.chance(0.3)) {
      int64_t from = rng.uniform(0, c - 1);
      float scale = rng.chance(0.5) ? 1.0f : float(rng.real(0.5, 2.0));
      for (int64_t e = 0; e < p.h * p.w; ++e)
        p.input[e * p.c + c] = scale * p.input[e * p.c + from];
    }
  p.weights = normals(rng, p.o * p.kh * p.kw * p.c);
  p.bias = normals(rng, p.o);
  return p;
}

std::string describe(const HasteConv &p) {
  return "hw=" + std::to_string(p.h) + "x" + std::to_string(p.w) +
         " c=" + std::to_string(p.c) + " o=" + std::to_string(p.o) +
         " k=" + std::to_string(p.kh) +
         " stride=" + std::to_string(p.stride[0]) + "," +
         std::to_string(p.stride[1]) +
         " dilation=" + std::to_string(p.dilation[0]) + "," +
         std::to_string(p.dilation[1]) + " patch=" + std::to_string(p.patchH) +
         "x" + std::to_string(p.patchW);
}

/// One batch: every case is a func with one tosa.conv2d, rewritten by
/// prom-haste with `options` and compiled; expected = the golden HASTE.
void runDifferential(uint64_t batchSeed, bool patches,
                     mlir::prom::PromHasteOptions options, int cases) {
  Random rng(batchSeed);
  Batch batch;
  for (int i = 0; i < cases; ++i) {
    HasteConv p = randomConv(rng, patches);
    // Patch sizes are a pass option, so one batch shares them: cases whose
    // output is smaller keep the whole map.
    if (!options.patch.empty()) {
      p.patchH = std::min(options.patch[0], p.outH());
      p.patchW = std::min(options.patch[1], p.outW());
      if (p.patchH != options.patch[0] || p.patchW != options.patch[1]) {
        --i;
        continue;
      }
    } else {
      p.patchH = p.patchW = 0;
    }
    std::vector<int64_t> in = {1, p.h, p.w, p.c}, w = {p.o, p.kh, p.kw, p.c},
                         out = {1, p.outH(), p.outW(), p.o};
    std::string sig =
        "(%x: " + tensorType(in, "f32") + ", %w: " + tensorType(w, "f32") +
        ", %b: " + tensorType({p.o}, "f32") + ") -> " + tensorType(out, "f32");
    std::string body =
        "  %zp = \"tosa.const\"() {values = dense<0.0> : tensor<1xf32>} : () "
        "-> tensor<1xf32>\n"
        "  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = "
        "array<i64: " +
        std::to_string(p.dilation[0]) + ", " + std::to_string(p.dilation[1]) +
        ">, pad = array<i64: " + std::to_string(p.pad[0]) + ", " +
        std::to_string(p.pad[1]) + ", " + std::to_string(p.pad[2]) + ", " +
        std::to_string(p.pad[3]) +
        ">, stride = array<i64: " + std::to_string(p.stride[0]) + ", " +
        std::to_string(p.stride[1]) + ">} : (" + tensorType(in, "f32") + ", " +
        tensorType(w, "f32") + ", " + tensorType({p.o}, "f32") +
        ", tensor<1xf32>, tensor<1xf32>) -> " + tensorType(out, "f32") +
        "\n  return %y : " + tensorType(out, "f32") + "\n";
    std::vector<int8_t> planes = haste::generateHyperplanes(
        haste::layerSeed(options.seed, i), options.hyperplanes, p.planeLength(),
        options.density);
    GoldenResult expected = hasteConv(p, planes, options.hyperplanes);
    batch.add(sig, body,
              {f32Tensor(in, p.input), f32Tensor(w, p.weights),
               f32Tensor({p.o}, p.bias)},
              f32Tensor(out, expected.output), describe(p));
  }
  batch.run([&](mlir::OpPassManager &pm) {
    pm.addPass(mlir::prom::createPromHaste(options));
  });
}

mlir::prom::PromHasteOptions hasteOptions(int64_t l, double density,
                                          uint64_t seed,
                                          std::vector<int64_t> patch = {}) {
  mlir::prom::PromHasteOptions o;
  o.hyperplanes = l;
  o.density = density;
  o.seed = seed;
  o.patch.assign(patch.begin(), patch.end());
  return o;
}

TEST(HasteDifferential, WholeMapMatchesGolden) {
  runDifferential(1, false, hasteOptions(12, 0.333, 3), 60);
  runDifferential(2, false, hasteOptions(2, 1.0, 4), 60);
  runDifferential(3, false, hasteOptions(40, 0.1, 5), 40);
}

TEST(HasteDifferential, PatchesMatchGolden) {
  runDifferential(4, true, hasteOptions(8, 0.5, 6, {2, 2}), 50);
  runDifferential(5, true, hasteOptions(3, 0.333, 7, {1, 3}), 50);
  runDifferential(6, true, hasteOptions(16, 0.25, 8, {3, 1}), 40);
}

bool near(const std::vector<float> &a, const std::vector<float> &b,
          float tolerance) {
  for (size_t i = 0; i < a.size(); ++i)
    if (std::fabs(a[i] - b[i]) > tolerance * (1.0f + std::fabs(b[i])))
      return false;
  return a.size() == b.size();
}

// Without a collision, every channel is its own bucket in channel order:
// the merged conv is the original one, operation for operation.
TEST(HasteGolden, NoCollisionIsTheOriginalConv) {
  Random rng(11);
  int checked = 0;
  for (int i = 0; i < 200; ++i) {
    HasteConv p = randomConv(rng, rng.chance(0.5));
    p.input = normals(rng, p.input.size()); // no copies
    std::vector<int8_t> planes =
        haste::generateHyperplanes(i, 48, p.planeLength(), 0.5);
    GoldenResult r = hasteConv(p, planes, 48);
    if (std::any_of(r.bucketCounts.begin(), r.bucketCounts.end(),
                    [&](int64_t n) { return n != p.c; }))
      continue; // a chance collision (tiny tiles): not this property
    ++checked;
    EXPECT_EQ(r.output, plainConv(p)) << describe(p);
  }
  EXPECT_GT(checked, 100);
}

// Exact copies of a channel hash alike, so they always merge; averaging
// equal inputs and summing their filter slices keeps the conv's output.
TEST(HasteGolden, CopiesAlwaysMergeAndKeepTheOutput) {
  Random rng(12);
  for (int i = 0; i < 200; ++i) {
    HasteConv p = randomConv(rng, rng.chance(0.5));
    int64_t distinct = std::max<int64_t>(1, p.c / 3);
    std::vector<float> base = normals(rng, p.h * p.w * distinct);
    for (int64_t e = 0; e < p.h * p.w; ++e)
      for (int64_t c = 0; c < p.c; ++c)
        p.input[e * p.c + c] = base[e * distinct + c % distinct];
    std::vector<int8_t> planes = haste::generateHyperplanes(
        1000 + i, int64_t(rng.uniform(1, 63)), p.planeLength(), 0.5);
    GoldenResult r = hasteConv(p, planes, planes.size() / p.planeLength());
    for (int64_t n : r.bucketCounts)
      EXPECT_LE(n, distinct) << describe(p);
    // The output equals the conv's as long as no two distinct channels
    // collided; with many hyperplanes they rarely do.
    if (planes.size() / p.planeLength() >= 32 &&
        std::all_of(r.bucketCounts.begin(), r.bucketCounts.end(),
                    [&](int64_t n) { return n == distinct; }))
      EXPECT_TRUE(near(r.output, plainConv(p), 1e-5f)) << describe(p);
    EXPECT_EQ(r.output.size(), size_t(p.outH() * p.outW() * p.o));
  }
}

// L hyperplanes give at most 2^L codes.
TEST(HasteGolden, BucketsAreBoundedByTheCodes) {
  Random rng(13);
  for (int i = 0; i < 100; ++i) {
    HasteConv p = randomConv(rng, true);
    int64_t l = rng.uniform(1, 3);
    std::vector<int8_t> planes =
        haste::generateHyperplanes(i, l, p.planeLength(), 1.0);
    GoldenResult r = hasteConv(p, planes, l);
    size_t patches = size_t((p.outH() + p.ph() - 1) / p.ph()) *
                     size_t((p.outW() + p.pw() - 1) / p.pw());
    EXPECT_EQ(r.bucketCounts.size(), patches) << describe(p);
    for (int64_t n : r.bucketCounts)
      EXPECT_LE(n, int64_t(1) << l) << describe(p);
  }
}

TEST(HasteGolden, HyperplanesAreSparseTernaryAndSeeded) {
  std::vector<int8_t> a = haste::generateHyperplanes(5, 10, 1000, 0.25);
  EXPECT_EQ(a, haste::generateHyperplanes(5, 10, 1000, 0.25));
  EXPECT_NE(a, haste::generateHyperplanes(6, 10, 1000, 0.25));
  int64_t nonzero = 0, positive = 0;
  for (int8_t v : a) {
    ASSERT_TRUE(v >= -1 && v <= 1);
    nonzero += v != 0;
    positive += v == 1;
  }
  EXPECT_NEAR(double(nonzero) / a.size(), 0.25, 0.03);
  EXPECT_NEAR(double(positive) / nonzero, 0.5, 0.05);
}

} // namespace
