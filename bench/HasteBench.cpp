//===- HasteBench.cpp - HASTE on convs with redundant input channels ------===//
//
// Float, int8 and ternary convolutions (weights constant, as in a model)
// whose input channels are copies of a few distinct ones plus noise (the
// redundancy HASTE exists for), compiled for this CPU: the plain conv
// through prom's kernels, prom-haste over the whole map, and prom-haste per
// 7x7 output patch; and the hashing alone (prom.haste_buckets). Channels kept
// come from the golden HASTE model on the same data and hyperplanes (the unit
// tests hold the compiled code to it bit for bit). Times are medians of
// repeated calls, one thread, ratios from this run.
//
//===----------------------------------------------------------------------===//

#include "BenchUtils.h"

#include "Prom/Execution/JitModule.h"
#include "Prom/Pipelines/Pipelines.h"
#include "Prom/Registration/Registration.h"
#include "Prom/Transforms/Passes.h"
#include "Prom/Utils/Haste.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace mlir;
using namespace mlir::prom;

namespace {

struct Layer {
  int64_t hw, cin, cout, k, distinct;
};

// Input channels = `distinct` base channels, each repeated, + 1% noise.
const Layer kLayers[] = {{28, 256, 256, 1, 32},
                         {28, 128, 128, 3, 16},
                         {14, 512, 512, 1, 64},
                         {56, 64, 64, 3, 8}};
constexpr int64_t kHyperplanes = 16;
constexpr double kDensity = 0.333;
constexpr int64_t kPatch = 7;
// The integer convolutions' input zero point (HASTE hashes x - zp).
constexpr int32_t kInputZp = 3;

/// The convolutions compared: float, prom.conv2d (int8 weights) and
/// prom.ternary_conv2d (1x1 only), each with its weights as constants, as
/// a model has them (so the plain conv takes prom's fast kernels).
enum class Kind { F32, Int8, Ternary };

const char *kindName(Kind kind) {
  return kind == Kind::F32 ? "f32" : kind == Kind::Int8 ? "int8" : "ternary";
}

std::string type(std::vector<int64_t> shape, llvm::StringRef element) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + element.str() + ">";
}

template <typename T>
std::string constant(const std::vector<T> &values, const std::string &type) {
  std::string hex =
      llvm::toHex(llvm::StringRef(reinterpret_cast<const char *>(values.data()),
                                  values.size() * sizeof(T)));
  return "arith.constant dense<\"0x" + hex + "\"> : " + type;
}

/// The layer's conv of `kind` with weights `w` and bias `b` as constants.
std::string convModule(const Layer &l, Kind kind, const std::vector<float> &w,
                       const std::vector<float> &b) {
  bool isFloat = kind == Kind::F32;
  std::string element = isFloat ? "f32" : "i8";
  std::string in = type({1, l.hw, l.hw, l.cin}, element),
              wt = type({l.cout, l.k, l.k, l.cin}, element),
              bt = type({l.cout}, isFloat ? "f32" : "i32"),
              out = type({1, l.hw, l.hw, l.cout}, element);
  std::string pad = std::to_string(l.k / 2);
  std::string body;
  if (isFloat) {
    body = "  %w = " + constant(w, wt) + "\n  %b = " + constant(b, bt) +
           "\n  %zp = \"tosa.const\"() {values = dense<0.0> : "
           "tensor<1xf32>} : () -> tensor<1xf32>\n"
           "  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, "
           "dilation = array<i64: 1, 1>, pad = array<i64: " +
           pad + ", " + pad + ", " + pad + ", " + pad +
           ">, stride = array<i64: 1, 1>} : (" + in + ", " + wt + ", " + bt +
           ", tensor<1xf32>, tensor<1xf32>) -> " + out + "\n";
  } else {
    std::vector<int8_t> w8(w.begin(), w.end());
    std::vector<int32_t> b32(b.begin(), b.end());
    std::string scales = "[";
    for (int64_t o = 0; o < l.cout; ++o)
      scales += std::string(o ? ", " : "") + "0.01";
    scales += "]";
    std::string quant = " input(0.05, " + std::to_string(kInputZp) +
                        ") weight_scales " + scales + " output(1.0, 0)";
    std::string op = kind == Kind::Ternary
                         ? "prom.ternary_conv2d %x, %w, %b stride [1, 1]"
                         : "prom.conv2d %x, %w, %b stride [1, 1] pad [" + pad +
                               ", " + pad + ", " + pad + ", " + pad +
                               "] dilation [1, 1] groups 1";
    body = "  %w = " + constant(w8, wt) + "\n  %b = " + constant(b32, bt) +
           "\n  %y = " + op + quant + " : (" + in + ", " + wt + ", " + bt +
           ") -> " + out + "\n";
  }
  return "func.func @conv(%x: " + in + ") -> " + out + " {\n" + body +
         "  return %y : " + out + "\n}\n";
}

/// Only the hashing of the padded input, as the whole-map rewrite does it.
std::string hashModule(const Layer &l, const std::vector<int8_t> &planes,
                       int64_t length) {
  int64_t padded = l.hw + 2 * (l.k / 2);
  std::string in = type({1, padded, padded, l.cin}, "f32");
  std::string planesType = "tensor<" + std::to_string(kHyperplanes) + "x" +
                           std::to_string(length) + "xi8>";
  std::string hex = llvm::toHex(llvm::StringRef(
      reinterpret_cast<const char *>(planes.data()), planes.size()));
  std::string c = std::to_string(l.cin);
  return "func.func @hash(%x: " + in + ") -> tensor<" + c +
         "xi32> {\n  %p = arith.constant dense<\"0x" + hex +
         "\"> : " + planesType +
         "\n  %b, %n = prom.haste_buckets %x, %p : " + in + ", " + planesType +
         " -> tensor<" + c + "xindex>\n  %e = tensor.empty() : tensor<" + c +
         "xi32>\n  %i = linalg.generic {indexing_maps = [affine_map<(d) -> "
         "(d)>, affine_map<(d) -> (d)>], iterator_types = [\"parallel\"]} "
         "ins(%b : tensor<" +
         c + "xindex>) outs(%e : tensor<" + c +
         "xi32>) {\n  ^bb0(%a: index, %o: i32):\n    %v = arith.index_cast "
         "%a : index to i32\n    linalg.yield %v : i32\n  } -> tensor<" +
         c + "xi32>\n  return %i : tensor<" + c + "xi32>\n}\n";
}

/// The merged conv alone, as prom-haste leaves it for the kernels: `n`
/// input channels (the channels kept) of the padded map, in `element`
/// (f32, or i16 into i32 for the integer kinds), from zero, on constant
/// operands; without `conv`, only the zero result (the harness's share).
std::string mergedModule(const Layer &l, int64_t n, llvm::StringRef element,
                         bool conv) {
  int64_t padded = l.hw + 2 * (l.k / 2);
  bool isFloat = element == "f32";
  std::string acc = isFloat ? "f32" : "i32";
  std::string in = type({1, padded, padded, n}, element),
              w = type({l.k, l.k, n, l.cout}, element),
              out = type({1, l.hw, l.hw, l.cout}, acc);
  std::string body =
      "  %x = arith.constant dense<" + std::string(isFloat ? "0.5" : "7") +
      "> : " + in + "\n  %w = arith.constant dense<" +
      (isFloat ? "0.25" : "-3") + "> : " + w + "\n  %z = arith.constant 0" +
      (isFloat ? ".0" : "") + " : " + acc + "\n  %e = tensor.empty() : " + out +
      "\n  %i = linalg.fill ins(%z : " + acc + ") outs(%e : " + out + ") -> " +
      out + "\n";
  std::string result = "%i";
  if (conv) {
    body += "  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : "
            "tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : " +
            in + ", " + w + ") outs(%i : " + out + ") -> " + out + "\n";
    result = "%y";
  }
  return "func.func @merged() -> " + out + " {\n" + body + "  return " +
         result + " : " + out + "\n}\n";
}

/// The same call's time on `inputs` with a body that reads one element:
/// the harness's part of every time here (the call and its result).
std::string touchModule(const std::vector<int64_t> &shape,
                        llvm::StringRef element) {
  std::string t = type(shape, element), one = type({1, 1, 1, 1}, element);
  return "func.func @touch(%x: " + t + ") -> " + one +
         " {\n  %v = tensor.extract_slice %x[0, 0, 0, 0] [1, 1, 1, 1] [1, 1, "
         "1, 1] : " +
         t + " to " + one + "\n  return %v : " + one + "\n}\n";
}

/// The conv of `source`, rewritten by prom-haste (with `patch`, empty for
/// the whole map) when `haste`.
std::unique_ptr<JitModule> compile(MLIRContext &context,
                                   const std::string &source,
                                   std::vector<int64_t> patch, bool haste) {
  if (!haste)
    return prom_bench::compile(context, source);
  return prom_bench::compile(context, source, [&](PassManager &pm) {
    PromHasteOptions options;
    options.hyperplanes = kHyperplanes;
    options.density = kDensity;
    options.patch.assign(patch.begin(), patch.end());
    pm.addPass(createPromHaste(options));
  });
}

/// Median over up to 500 calls or 0.3 s.
double medianMicros(JitModule &jit, llvm::StringRef fn,
                    llvm::ArrayRef<HostTensor> inputs) {
  return prom_bench::medianMicros(jit, fn, inputs, 3e5, 500);
}

/// Mean channels kept per patch by the golden HASTE for `patch` x `patch`
/// output patches of a stride-1 conv (0: the whole map).
double keptChannels(const Layer &l, const std::vector<float> &x,
                    int64_t patch) {
  int64_t halo = l.k / 2, padded = l.hw + 2 * halo;
  std::vector<float> p(padded * padded * l.cin, 0.0f);
  for (int64_t i = 0; i < l.hw; ++i)
    for (int64_t j = 0; j < l.hw; ++j)
      std::copy_n(&x[(i * l.hw + j) * l.cin], l.cin,
                  &p[((i + halo) * padded + j + halo) * l.cin]);
  int64_t step = patch ? patch : l.hw;
  int64_t length = (step + l.k - 1) * (step + l.k - 1);
  std::vector<int8_t> planes = haste::generateHyperplanes(
      haste::layerSeed(0, 0), kHyperplanes, length, kDensity);
  double sum = 0;
  int64_t patches = 0;
  std::vector<int64_t> buckets;
  for (int64_t oh0 = 0; oh0 < l.hw; oh0 += step)
    for (int64_t ow0 = 0; ow0 < l.hw; ow0 += step) {
      int64_t th = std::min(step, l.hw - oh0) + l.k - 1;
      int64_t tw = std::min(step, l.hw - ow0) + l.k - 1;
      std::vector<float> tile(th * tw * l.cin);
      for (int64_t i = 0; i < th; ++i)
        std::copy_n(&p[((oh0 + i) * padded + ow0) * l.cin], tw * l.cin,
                    &tile[i * tw * l.cin]);
      sum += haste::assignBuckets(tile.data(), th, tw, l.cin, planes.data(),
                                  kHyperplanes, length, buckets);
      ++patches;
    }
  return sum / double(patches);
}

/// The layer's data for `kind`: input channel c copies base channel
/// c % distinct plus noise (1% of the spread: normal for f32, a step of
/// -1, 0 or +1 for int8), weights and bias; `hashed` is what HASTE hashes
/// (the input, less its zero point for the integer kinds).
struct LayerData {
  std::vector<float> hashed, weights, bias;
  HostTensor input;
};

LayerData makeData(const Layer &l, Kind kind, std::mt19937 &rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> byte(-100, 100), step(-1, 1),
      weight(kind == Kind::Ternary ? -1 : -127,
             kind == Kind::Ternary ? 1 : 127);
  int64_t positions = l.hw * l.hw;
  LayerData d;
  d.hashed.resize(positions * l.cin);
  d.weights.resize(l.cout * l.k * l.k * l.cin);
  d.bias.resize(l.cout);
  std::vector<int64_t> shape = {1, l.hw, l.hw, l.cin};
  if (kind == Kind::F32) {
    std::vector<float> base(positions * l.distinct);
    for (float &v : base)
      v = normal(rng);
    for (int64_t e = 0; e < positions; ++e)
      for (int64_t c = 0; c < l.cin; ++c)
        d.hashed[e * l.cin + c] =
            base[e * l.distinct + c % l.distinct] + 0.01f * normal(rng);
    for (float &v : d.weights)
      v = normal(rng) * 0.05f;
    for (float &v : d.bias)
      v = normal(rng);
    d.input = HostTensor::from(ElementKind::F32, shape,
                               llvm::ArrayRef<float>(d.hashed));
    return d;
  }
  std::vector<int> base(positions * l.distinct);
  for (int &v : base)
    v = byte(rng);
  std::vector<int8_t> x(positions * l.cin);
  for (int64_t e = 0; e < positions; ++e)
    for (int64_t c = 0; c < l.cin; ++c) {
      x[e * l.cin + c] =
          int8_t(base[e * l.distinct + c % l.distinct] + step(rng));
      d.hashed[e * l.cin + c] = float(x[e * l.cin + c] - kInputZp);
    }
  for (float &v : d.weights)
    v = float(weight(rng));
  for (float &v : d.bias)
    v = float(byte(rng));
  d.input = HostTensor::from(ElementKind::I8, shape, llvm::ArrayRef<int8_t>(x));
  return d;
}

} // namespace

int main() {
  DialectRegistry registry;
  registerPromDialects(registry);
  registerPromToLLVMDependencies(registry);
  MLIRContext context(registry);
  llvm::outs() << "CPU: " << llvm::sys::getHostCPUName()
               << "; one thread, prom's kernels for this CPU; L = "
               << kHyperplanes << " hyperplanes, density "
               << llvm::format("%g", kDensity) << ", patches " << kPatch << "x"
               << kPatch << "\n";
  llvm::outs() << llvm::format(
      "%-26s %7s %9s %9s %9s %7s %8s %8s %8s\n", "layer", "kept", "plain us",
      "haste us", "patch us", "MACs/", "speedup", "hash us", "conv us");
  std::mt19937 rng(1);
  for (const Layer &l : kLayers)
    for (Kind kind : {Kind::F32, Kind::Int8, Kind::Ternary}) {
      if (kind == Kind::Ternary && l.k != 1)
        continue;
      LayerData d = makeData(l, kind, rng);
      std::string source = convModule(l, kind, d.weights, d.bias);
      auto plain = compile(context, source, {}, false);
      auto whole = compile(context, source, {}, true);
      auto patched = compile(context, source, {kPatch, kPatch}, true);
      double tPlain = medianMicros(*plain, "conv", {d.input});
      double tWhole = medianMicros(*whole, "conv", {d.input});
      double tPatch = medianMicros(*patched, "conv", {d.input});

      // The hashing alone, of the padded hashed values (as f32: the
      // integer rewrite converts x - zp to f32 to hash it).
      int64_t padded = l.hw + 2 * (l.k / 2);
      std::vector<float> xp(padded * padded * l.cin, 0.0f);
      for (int64_t i = 0; i < l.hw; ++i)
        for (int64_t j = 0; j < l.hw; ++j)
          std::copy_n(&d.hashed[(i * l.hw + j) * l.cin], l.cin,
                      &xp[((i + l.k / 2) * padded + j + l.k / 2) * l.cin]);
      std::vector<int8_t> planes = haste::generateHyperplanes(
          haste::layerSeed(0, 0), kHyperplanes, padded * padded, kDensity);
      auto hash =
          compile(context, hashModule(l, planes, padded * padded), {}, false);
      double tHash = medianMicros(
          *hash, "hash",
          {HostTensor::from(ElementKind::F32, {1, padded, padded, l.cin},
                            llvm::ArrayRef<float>(xp))});

      double kept = keptChannels(l, d.hashed, 0);
      double keptPatch = keptChannels(l, d.hashed, kPatch);
      // The merged conv alone on round(kept) channels, less the harness.
      int64_t n = std::max<int64_t>(1, std::llround(kept));
      llvm::StringRef element = kind == Kind::F32 ? "f32" : "i16";
      auto merged =
          compile(context, mergedModule(l, n, element, true), {}, false);
      auto zeros =
          compile(context, mergedModule(l, n, element, false), {}, false);
      double tMerged = medianMicros(*merged, "merged", {}) -
                       medianMicros(*zeros, "merged", {});
      auto touchHash = compile(
          context, touchModule({1, padded, padded, l.cin}, "f32"), {}, false);
      tHash -= medianMicros(
          *touchHash, "touch",
          {HostTensor::from(ElementKind::F32, {1, padded, padded, l.cin},
                            llvm::ArrayRef<float>(xp))});

      std::string name = std::to_string(l.cin) + "->" + std::to_string(l.cout) +
                         " k" + std::to_string(l.k) + " @" +
                         std::to_string(l.hw) + "^2 " + kindName(kind);
      llvm::outs() << llvm::format(
          "%-26s %7.1f %9.0f %9.0f %9.0f %6.2fx %7.2fx %8.0f %8.0f\n",
          name.c_str(), kept, tPlain, tWhole, tPatch, double(l.cin) / kept,
          tPlain / tWhole, tHash, tMerged);
      llvm::outs() << llvm::format("%-26s %7.1f %9s %9s %9s %6.2fx %7.2fx\n",
                                   "  (7x7 patches)", keptPatch, "", "", "",
                                   double(l.cin) / keptPatch, tPlain / tPatch);
    }
  llvm::outs() << "kept: mean input channels after merging (of cin), golden "
                  "model on the same data; MACs/: cin / kept; plain: the conv "
                  "without HASTE through prom's kernels (f32 register tiles, "
                  "int8/ternary dot products); speedup: plain / haste (whole "
                  "map; second row: 7x7 patches); hash us: prom.haste_buckets "
                  "alone on the whole map; conv us: the merged conv alone on "
                  "round(kept) channels (f32, or i16 pairs for int8 and "
                  "ternary); both less the harness's call time on the same "
                  "inputs.\n";
  return 0;
}
