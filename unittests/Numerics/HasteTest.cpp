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
#include "Golden.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Conversion/Passes.h"
#include "Prom/Transforms/Passes.h"
#include "Prom/Utils/FixedPoint.h"
#include "Prom/Utils/Haste.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"

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

HasteConv randomConv(Random &rng, bool patches, int64_t maxOut = 8) {
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
  p.o = rng.uniform(1, maxOut);
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

/// How a batch lowers the merged convolutions: the reference loops
/// (lanes 0), or prom-merged-conv-vector with `lanes` and `isa`, compiled
/// for `cpu` ("" = the host); `maxOut` bounds the random output channels,
/// `minIn` (if set) the input channels from below.
struct Lowering {
  int64_t lanes = 0;
  std::string isa = "none", cpu;
  int64_t maxOut = 8, minIn = 0;
  /// The weights as a constant in the function, as in a model (prom-haste
  /// then transposes them at compile time), instead of an argument.
  bool constantWeights = false;
};

/// `%w = arith.constant` of `values` (raw bytes) as `type`.
template <typename T>
std::string weightConstant(const std::vector<T> &values,
                           const std::string &type) {
  return "  %w = arith.constant dense<\"0x" +
         llvm::toHex(
             llvm::StringRef(reinterpret_cast<const char *>(values.data()),
                             values.size() * sizeof(T))) +
         "\"> : " + type + "\n";
}

/// Compiles `batch` after prom-haste with `options` and `lowering`'s
/// kernels (no other kernel pass, so only these are under test).
void runBatch(Batch &batch, const mlir::prom::PromHasteOptions &options,
              const Lowering &lowering) {
  batch.run(
      [&](mlir::OpPassManager &pm) {
        pm.addPass(mlir::prom::createPromHaste(options));
        if (lowering.lanes) {
          pm.addPass(createAssignKernelPass(
              "linalg.conv_2d_nhwc_hwcf", [&](mlir::Operation *op) {
                return mlir::prom::KernelAttr::get(
                    op->getContext(), mlir::prom::KernelKind::MergedConvVector,
                    *mlir::prom::parseKernelIsa(lowering.isa), std::nullopt,
                    lowering.lanes, lowering.lanes >= 16 ? 6 : 4, 2, 0,
                    std::nullopt, "");
              }));
          pm.addPass(mlir::prom::createPromMergedConvVector());
        }
      },
      lowering.cpu, "none");
}

/// Cases of a batch in which every patch kept all its channels (the
/// rewrite then runs the original conv) and those in which some merged.
struct BranchCounts {
  int allKept = 0, merged = 0;
};

/// One batch: every case is a func with one tosa.conv2d, rewritten by
/// prom-haste with `options` and compiled; expected = the golden HASTE.
BranchCounts runDifferential(uint64_t batchSeed, bool patches,
                             mlir::prom::PromHasteOptions options, int cases,
                             const Lowering &lowering = {}) {
  Random rng(batchSeed);
  Batch batch;
  BranchCounts branches;
  for (int i = 0; i < cases; ++i) {
    HasteConv p = randomConv(rng, patches, lowering.maxOut);
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
    bool constant = lowering.constantWeights;
    std::string sig = "(%x: " + tensorType(in, "f32") +
                      (constant ? "" : ", %w: " + tensorType(w, "f32")) +
                      ", %b: " + tensorType({p.o}, "f32") + ") -> " +
                      tensorType(out, "f32");
    std::string body =
        (constant ? weightConstant(p.weights, tensorType(w, "f32")) : "") +
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
    bool allKept = llvm::all_of(expected.bucketCounts,
                                [&](int64_t n) { return n == p.c; });
    ++(allKept ? branches.allKept : branches.merged);
    std::vector<HostTensor> args = {f32Tensor(in, p.input)};
    if (!constant)
      args.push_back(f32Tensor(w, p.weights));
    args.push_back(f32Tensor({p.o}, p.bias));
    batch.add(sig, body, args, f32Tensor(out, expected.output), describe(p));
  }
  runBatch(batch, options, lowering);
  return branches;
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

// Both sides of the whole map's branch run: cases where no channels merge
// (the original conv) and cases where some do (the merged conv).
TEST(HasteDifferential, WholeMapMatchesGolden) {
  BranchCounts total;
  for (BranchCounts b :
       {runDifferential(1, false, hasteOptions(12, 0.333, 3), 60),
        runDifferential(2, false, hasteOptions(2, 1.0, 4), 60),
        runDifferential(3, false, hasteOptions(40, 0.1, 5), 40)}) {
    total.allKept += b.allKept;
    total.merged += b.merged;
  }
  EXPECT_GE(total.allKept, 10);
  EXPECT_GE(total.merged, 10);
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

//===----------------------------------------------------------------------===//
// Integer HASTE (prom.conv2d, prom.ternary_conv2d)
//===----------------------------------------------------------------------===//

/// round_half_away(a / b), b > 0.
int64_t divideRounded(int64_t a, int64_t b) {
  int64_t q = a / b, r = a % b;
  return 2 * std::abs(r) >= b ? q + (a < 0 ? -1 : 1) : q;
}

/// HASTE on an int8 conv (groups 1), as docs/haste.md defines it: the
/// stored values (padded with the zero point) hashed and averaged with
/// rounding half away from zero, the zero point taken from the averages,
/// weights summed, i32 accumulation from the bias, the conv's own
/// requantization. `buckets` per patch are counted into `counts`.
std::vector<int8_t> hasteConvInt(const golden::Conv &c, int64_t ph, int64_t pw,
                                 const std::vector<int8_t> &planes, int64_t l,
                                 std::vector<int64_t> *counts = nullptr) {
  int64_t hp = c.h + c.pad[0] + c.pad[1], wp = c.w + c.pad[2] + c.pad[3];
  std::vector<int32_t> padded(hp * wp * c.ci, c.inZp);
  for (int i = 0; i < c.h; ++i)
    for (int j = 0; j < c.w; ++j)
      for (int k = 0; k < c.ci; ++k)
        padded[((i + c.pad[0]) * wp + j + c.pad[2]) * c.ci + k] =
            c.input[(i * c.w + j) * c.ci + k];
  int64_t oh = c.outH(), ow = c.outW();
  auto extent = [&](int64_t out, int d) {
    return (out - 1) * c.stride[d] + ((d ? c.kw : c.kh) - 1) * c.dilation[d] +
           1;
  };
  int64_t length = extent(ph, 0) * extent(pw, 1);
  std::vector<int8_t> out(oh * ow * c.co);
  for (int64_t oh0 = 0; oh0 < oh; oh0 += ph)
    for (int64_t ow0 = 0; ow0 < ow; ow0 += pw) {
      int64_t h = std::min(ph, oh - oh0), w = std::min(pw, ow - ow0);
      int64_t th = extent(h, 0), tw = extent(w, 1);
      std::vector<int32_t> tile(th * tw * c.ci);
      std::vector<float> tileF(tile.size());
      for (int64_t i = 0; i < th; ++i)
        for (int64_t j = 0; j < tw; ++j)
          for (int k = 0; k < c.ci; ++k) {
            int32_t v =
                padded[((oh0 * c.stride[0] + i) * wp + ow0 * c.stride[1] + j) *
                           c.ci +
                       k];
            tile[(i * tw + j) * c.ci + k] = v;
            tileF[(i * tw + j) * c.ci + k] = float(v);
          }
      std::vector<int64_t> buckets;
      int64_t n = haste::assignBuckets(tileF.data(), th, tw, c.ci,
                                       planes.data(), l, length, buckets);
      if (counts)
        counts->push_back(n);
      std::vector<int64_t> sums(th * tw * n, 0), members(n, 0);
      std::vector<int32_t> wm(c.co * c.kh * c.kw * n, 0);
      for (int k = 0; k < c.ci; ++k) {
        ++members[buckets[k]];
        for (int64_t e = 0; e < th * tw; ++e)
          sums[e * n + buckets[k]] += tile[e * c.ci + k];
        for (int64_t e = 0; e < c.co * c.kh * c.kw; ++e)
          wm[e * n + buckets[k]] += c.weights[e * c.ci + k];
      }
      for (int64_t i = 0; i < h; ++i)
        for (int64_t j = 0; j < w; ++j)
          for (int f = 0; f < c.co; ++f) {
            int64_t acc = c.bias ? (*c.bias)[f] : 0;
            for (int a = 0; a < c.kh; ++a)
              for (int b = 0; b < c.kw; ++b)
                for (int64_t m = 0; m < n; ++m) {
                  int64_t y = i * c.stride[0] + a * c.dilation[0];
                  int64_t z = j * c.stride[1] + b * c.dilation[1];
                  int64_t x =
                      divideRounded(sums[(y * tw + z) * n + m], members[m]) -
                      c.inZp;
                  acc += x * wm[((f * c.kh + a) * c.kw + b) * n + m];
                }
            double scale = mlir::prom::requantScale(
                c.inScale, c.weightScales[f], c.outScale);
            out[((oh0 + i) * ow + ow0 + j) * c.co + f] = golden::output(
                golden::apply(int32_t(acc), golden::fixedPoint(scale)), c.outZp,
                c.lo, c.hi);
          }
    }
  return out;
}

golden::Conv randomIntConv(Random &rng, bool ternary, int64_t maxOut = 8,
                           int64_t minIn = 0) {
  golden::Conv c{};
  HasteConv geometry = randomConv(rng, false, maxOut);
  if (minIn)
    geometry.c = rng.uniform(minIn, minIn + 40);
  c.n = 1, c.groups = 1;
  c.h = int(geometry.h), c.w = int(geometry.w), c.ci = int(geometry.c);
  c.co = int(geometry.o);
  c.kh = c.kw = ternary ? 1 : int(geometry.kh);
  c.stride = {int(geometry.stride[0]), int(geometry.stride[1])};
  c.dilation = ternary ? std::array<int, 2>{1, 1}
                       : std::array<int, 2>{int(geometry.dilation[0]),
                                            int(geometry.dilation[1])};
  for (int d = 0; d < 4; ++d)
    c.pad[d] = ternary || c.kh == 1 ? 0 : int(geometry.pad[d]);
  // Keep TOSA-free geometry valid: stride must divide nothing here, but the
  // output extent must be positive.
  c.input = rng.int8s(size_t(c.h) * c.w * c.ci);
  // Redundant channels: exact copies.
  for (int k = 1; k < c.ci; ++k)
    if (rng.chance(0.3)) {
      int from = int(rng.uniform(0, k - 1));
      for (int e = 0; e < c.h * c.w; ++e)
        c.input[e * c.ci + k] = c.input[e * c.ci + from];
    }
  c.weights.resize(size_t(c.co) * c.kh * c.kw * c.ci);
  for (int8_t &v : c.weights)
    v = ternary ? int8_t(rng.uniform(-1, 1)) : int8_t(rng.uniform(-127, 127));
  c.inZp = rng.zeroPoint();
  c.outZp = rng.zeroPoint();
  RequantScales s = rng.requantScales(
      c.co, 64.0 * 64.0 * std::sqrt(double(c.kh * c.kw * c.ci)));
  c.inScale = s.input, c.outScale = s.output, c.weightScales = s.weights;
  std::vector<int32_t> bias(c.co);
  for (int32_t &b : bias)
    b = int32_t(rng.uniform(-(1 << 16), 1 << 16));
  c.bias = bias;
  std::tie(c.lo, c.hi) = rng.clamp();
  return c;
}

/// prom-haste on random prom.conv2d / prom.ternary_conv2d cases, compiled,
/// against hasteConvInt bit for bit.
void runIntegerDifferential(uint64_t batchSeed, bool ternary,
                            mlir::prom::PromHasteOptions options, int cases,
                            const Lowering &lowering = {}) {
  Random rng(batchSeed);
  Batch batch;
  for (int i = 0; i < cases; ++i) {
    golden::Conv c =
        randomIntConv(rng, ternary, lowering.maxOut, lowering.minIn);
    int64_t ph = c.outH(), pw = c.outW();
    if (!options.patch.empty()) {
      if (options.patch[0] > ph || options.patch[1] > pw) {
        --i;
        continue;
      }
      ph = options.patch[0], pw = options.patch[1];
    }
    std::vector<int64_t> in = {1, c.h, c.w, c.ci}, w = {c.co, c.kh, c.kw, c.ci},
                         out = {1, c.outH(), c.outW(), c.co};
    std::string types = "(" + tensorType(in, "i8") + ", " +
                        tensorType(w, "i8") + ", " + tensorType({c.co}, "i32") +
                        ") -> " + tensorType(out, "i8");
    bool constant = lowering.constantWeights;
    std::string sig = "(%x: " + tensorType(in, "i8") +
                      (constant ? "" : ", %w: " + tensorType(w, "i8")) +
                      ", %b: " + tensorType({c.co}, "i32") + ") -> " +
                      tensorType(out, "i8");
    std::string quant = " input(" + f32(c.inScale) + ", " +
                        std::to_string(c.inZp) + ") weight_scales " +
                        list(c.weightScales) + " output(" + f32(c.outScale) +
                        ", " + std::to_string(c.outZp) + ")" +
                        clampSuffix({c.lo, c.hi});
    std::string stride = "[" + std::to_string(c.stride[0]) + ", " +
                         std::to_string(c.stride[1]) + "]";
    std::string op =
        ternary
            ? "prom.ternary_conv2d %x, %w, %b stride " + stride + quant
            : "prom.conv2d %x, %w, %b stride " + stride + " pad [" +
                  std::to_string(c.pad[0]) + ", " + std::to_string(c.pad[1]) +
                  ", " + std::to_string(c.pad[2]) + ", " +
                  std::to_string(c.pad[3]) + "] dilation [" +
                  std::to_string(c.dilation[0]) + ", " +
                  std::to_string(c.dilation[1]) + "] groups 1" + quant;
    std::string body =
        (constant ? weightConstant(c.weights, tensorType(w, "i8")) : "") +
        "  %y = " + op + " : " + types +
        "\n  return %y : " + tensorType(out, "i8") + "\n";
    int64_t length = ((ph - 1) * c.stride[0] + (c.kh - 1) * c.dilation[0] + 1) *
                     ((pw - 1) * c.stride[1] + (c.kw - 1) * c.dilation[1] + 1);
    std::vector<int8_t> planes = haste::generateHyperplanes(
        haste::layerSeed(options.seed, i), options.hyperplanes, length,
        options.density);
    std::vector<HostTensor> args = {i8Tensor(in, c.input)};
    if (!constant)
      args.push_back(i8Tensor(w, c.weights));
    args.push_back(i32Tensor({c.co}, *c.bias));
    batch.add(
        sig, body, args,
        i8Tensor(out, hasteConvInt(c, ph, pw, planes, options.hyperplanes)),
        std::string(ternary ? "ternary " : "int8 ") +
            "ci=" + std::to_string(c.ci) + " co=" + std::to_string(c.co) +
            " k=" + std::to_string(c.kh) + " hw=" + std::to_string(c.h) + "x" +
            std::to_string(c.w));
  }
  runBatch(batch, options, lowering);
}

TEST(HasteDifferential, IntegerMatchesGolden) {
  runIntegerDifferential(21, false, hasteOptions(12, 0.333, 1), 60);
  runIntegerDifferential(22, true, hasteOptions(3, 0.5, 2), 60);
  runIntegerDifferential(23, false, hasteOptions(8, 0.5, 3, {1, 2}), 40);
}

// prom-merged-conv-vector against the same golden model, with up to 40
// output channels (several blocks, a partial last one, single-channel
// ones). `floats` adds the f32 batches (the integer ones are always run:
// i16 operands, as prom-haste narrows them for these sizes).
void runMergedKernels(const Lowering &l, uint64_t seed, bool floats) {
  SCOPED_TRACE("lanes " + std::to_string(l.lanes) + " isa " + l.isa +
               " on cpu " + (l.cpu.empty() ? "host" : l.cpu));
  if (floats) {
    runDifferential(seed, false, hasteOptions(12, 0.333, 3), 30, l);
    runDifferential(seed + 1, true, hasteOptions(8, 0.5, 6, {2, 2}), 20, l);
    runDifferential(seed + 2, true, hasteOptions(3, 0.333, 7, {1, 3}), 20, l);
  }
  runIntegerDifferential(seed + 3, false, hasteOptions(12, 0.333, 1), 30, l);
  runIntegerDifferential(seed + 4, true, hasteOptions(3, 0.5, 2), 30, l);
  runIntegerDifferential(seed + 5, false, hasteOptions(8, 0.5, 3, {1, 2}), 20,
                         l);
}

// Plain vector ops (any target): f32, i16 widened to i32, and i32 operands
// (int8 weights unknown at compile time over 256+ channels could sum past
// i16, so prom-haste keeps i32).
TEST(HasteDifferential, MergedKernelsPortable) {
  runMergedKernels({16, "none", "", 40}, 0x4a57e00, /*floats=*/true);
  Lowering wide{16, "none", "", 12, 256};
  runIntegerDifferential(0x4a57e06, false, hasteOptions(6, 0.333, 4), 8, wide);
}

// i16 pairs through vpmaddwd (vpdpwssd) on AVX-512.
TEST(HasteDifferential, MergedKernelsAvx512) {
  if (hostKernelIsa() < mlir::prom::KernelIsa::Avx512Vnni)
    GTEST_SKIP() << "the host has no AVX-512 VNNI";
  runMergedKernels({16, "avx512-vnni", "", 40}, 0x4a57e10, /*floats=*/false);
}

// Eight lanes with AVX2's vpmaddwd, compiled for an AVX2-only CPU where the
// host has AVX-512 (the width promc uses there).
TEST(HasteDifferential, MergedKernelsAvx2) {
  if (hostKernelIsa() == mlir::prom::KernelIsa::None)
    GTEST_SKIP() << "the host has no AVX2";
  std::vector<std::string> isas = hostIsas();
  runMergedKernels({8, "avx2", isas.size() > 1 ? isas[1] : "", 40}, 0x4a57e20,
                   /*floats=*/true);
}

// Weights as constants, as in a model: prom-haste transposes (and for
// integers widens) them to HWCF slices at compile time instead of at run
// time; the reference loops, then the host's kernels.
TEST(HasteDifferential, ConstantWeightsMatchGolden) {
  Lowering reference;
  reference.constantWeights = true;
  runDifferential(0x4a57e30, false, hasteOptions(12, 0.333, 3), 20, reference);
  runIntegerDifferential(0x4a57e31, false, hasteOptions(12, 0.333, 1), 20,
                         reference);
  runIntegerDifferential(0x4a57e32, true, hasteOptions(3, 0.5, 2), 20,
                         reference);
  mlir::prom::KernelIsa isa = hostKernelIsa();
  if (isa == mlir::prom::KernelIsa::None)
    return;
  Lowering kernels{isa == mlir::prom::KernelIsa::Avx2 ? 8 : 16,
                   mlir::prom::kernelIsaName(isa), "", 40};
  kernels.constantWeights = true;
  runDifferential(0x4a57e33, false, hasteOptions(12, 0.333, 3), 20, kernels);
  runIntegerDifferential(0x4a57e34, false, hasteOptions(12, 0.333, 1), 20,
                         kernels);
}

// The lowering averages integer buckets in f64 (a vectorizable division)
// and rounds ties away: the same as divideRounded for every count up to
// 4096 on random sums, every tie and both ends of a range wider than that
// of sums of int8 values (|x| <= 128; the bound 255 covers x - zp too),
// and sums near +-2^31.
TEST(HasteGolden, RoundedAverageInDoublesIsExact) {
  Random rng(41);
  auto inDoubles = [](int64_t sum, int64_t count) {
    return int64_t(std::round(double(sum) / double(count)));
  };
  for (int64_t count = 1; count <= 4096; ++count) {
    std::vector<int64_t> sums = {255 * count, -255 * count,    0,           1,
                                 -1,          (1ll << 31) - 1, -(1ll << 31)};
    for (int t = 0; t < 40; ++t)
      sums.push_back(rng.uniform(-255 * count, 255 * count));
    for (int64_t q = -255; q <= 255 && count % 2 == 0; q += 17)
      sums.push_back(q * count + count / 2); // exactly q + 1/2
    for (int64_t sum : sums)
      ASSERT_EQ(inDoubles(sum, count), divideRounded(sum, count))
          << sum << " / " << count;
  }
}

// Without a collision, integer HASTE is prom.conv2d exactly: every bucket
// holds one channel, so nothing is rounded.
TEST(HasteGolden, IntegerNoCollisionIsTheOriginalConv) {
  Random rng(31);
  int checked = 0;
  for (int i = 0; i < 200; ++i) {
    golden::Conv c = randomIntConv(rng, rng.chance(0.5));
    c.input = rng.int8s(c.input.size()); // no copies
    int64_t oh = c.outH(), ow = c.outW();
    int64_t length = ((oh - 1) * c.stride[0] + (c.kh - 1) * c.dilation[0] + 1) *
                     ((ow - 1) * c.stride[1] + (c.kw - 1) * c.dilation[1] + 1);
    std::vector<int8_t> planes = haste::generateHyperplanes(i, 48, length, 0.5);
    std::vector<int64_t> counts;
    std::vector<int8_t> got = hasteConvInt(c, oh, ow, planes, 48, &counts);
    if (counts.front() != c.ci)
      continue;
    ++checked;
    EXPECT_EQ(got, golden::conv2d(c));
  }
  EXPECT_GT(checked, 100);
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
