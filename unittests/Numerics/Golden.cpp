//===- Golden.cpp - plain-loop golden model of prom's integer ops ---------===//

#include "Golden.h"

#include <algorithm>
#include <cmath>

namespace golden {

static int64_t roundHalfAway(double v) {
  return static_cast<int64_t>(v < 0 ? -std::floor(-v + 0.5)
                                    : std::floor(v + 0.5));
}

std::vector<Fixed> fixedPointShared(const std::vector<double> &scales) {
  double largest = *std::max_element(scales.begin(), scales.end());
  int e = 0;
  double f = std::frexp(largest, &e);
  int64_t m = roundHalfAway(f * 2147483648.0);
  if (m == (int64_t(1) << 31))
    ++e;
  int shift = 31 - e;
  if (shift > 62)
    shift = 62;
  std::vector<Fixed> out;
  for (double s : scales)
    out.push_back({roundHalfAway(std::ldexp(s, shift)), shift});
  return out;
}

Fixed fixedPoint(double scale) { return fixedPointShared({scale}).front(); }

int64_t apply(int64_t p, const Fixed &f) {
  // Exact: |p * m| < 2^63; round half away from zero on the magnitude.
  int64_t q = p * f.multiplier;
  int64_t magnitude = q < 0 ? -q : q;
  int64_t rounded = (magnitude + (int64_t(1) << (f.shift - 1))) >> f.shift;
  return q < 0 ? -rounded : rounded;
}

int8_t output(int64_t v, int32_t zp, int32_t lo, int32_t hi) {
  return static_cast<int8_t>(std::clamp<int64_t>(v + zp, lo, hi));
}

int Conv::outH() const {
  return (h + pad[0] + pad[1] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
}
int Conv::outW() const {
  return (w + pad[2] + pad[3] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
}

std::vector<int8_t> conv2d(const Conv &c) {
  int oh = c.outH(), ow = c.outW();
  int cig = c.ci / c.groups, cog = c.co / c.groups;
  std::vector<int8_t> out;
  for (int b = 0; b < c.n; ++b)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        for (int o = 0; o < c.co; ++o) {
          int g = o / cog;
          // i32 accumulation wraps: sum in uint32_t.
          uint32_t acc = c.bias ? uint32_t((*c.bias)[o]) : 0u;
          for (int ky = 0; ky < c.kh; ++ky)
            for (int kx = 0; kx < c.kw; ++kx)
              for (int i = 0; i < cig; ++i) {
                int iy = y * c.stride[0] - c.pad[0] + ky * c.dilation[0];
                int ix = x * c.stride[1] - c.pad[2] + kx * c.dilation[1];
                int32_t v = c.inZp; // padding is the real value 0
                if (iy >= 0 && iy < c.h && ix >= 0 && ix < c.w)
                  v = c.input[((b * c.h + iy) * c.w + ix) * c.ci + g * cig + i];
                int32_t wt = c.weights[((o * c.kh + ky) * c.kw + kx) * cig + i];
                acc += uint32_t((v - c.inZp) * wt);
              }
          double scale = (double(c.inScale) * double(c.weightScales[o])) /
                         double(c.outScale);
          out.push_back(output(apply(int32_t(acc), fixedPoint(scale)), c.outZp,
                               c.lo, c.hi));
        }
  return out;
}

std::vector<int8_t> fullyConnected(const FullyConnected &f) {
  std::vector<int8_t> out;
  for (int r = 0; r < f.n; ++r)
    for (int o = 0; o < f.m; ++o) {
      uint32_t acc = f.bias ? uint32_t((*f.bias)[o]) : 0u;
      for (int i = 0; i < f.k; ++i)
        acc +=
            uint32_t((f.input[r * f.k + i] - f.inZp) * f.weights[o * f.k + i]);
      double scale =
          (double(f.inScale) * double(f.weightScales[o])) / double(f.outScale);
      out.push_back(
          output(apply(int32_t(acc), fixedPoint(scale)), f.outZp, f.lo, f.hi));
    }
  return out;
}

int Pool::outH() const { return (h + pad[0] + pad[1] - kh) / stride[0] + 1; }
int Pool::outW() const { return (w + pad[2] + pad[3] - kw) / stride[1] + 1; }

std::vector<int8_t> avgPool2d(const Pool &p) {
  std::vector<int8_t> out;
  for (int b = 0; b < p.n; ++b)
    for (int y = 0; y < p.outH(); ++y)
      for (int x = 0; x < p.outW(); ++x)
        for (int ch = 0; ch < p.c; ++ch) {
          int32_t sum = 0, inside = 0;
          for (int ky = 0; ky < p.kh; ++ky)
            for (int kx = 0; kx < p.kw; ++kx) {
              int iy = y * p.stride[0] - p.pad[0] + ky;
              int ix = x * p.stride[1] - p.pad[2] + kx;
              if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w)
                continue;
              ++inside;
              sum += p.input[((b * p.h + iy) * p.w + ix) * p.c + ch] - p.inZp;
            }
          int count = p.countIncludePad ? p.kh * p.kw : inside;
          double scale = double(p.inScale) / (count * double(p.outScale));
          out.push_back(
              output(apply(sum, fixedPoint(scale)), p.outZp, p.lo, p.hi));
        }
  return out;
}

std::vector<int8_t> rescale(const Rescale &r) {
  std::vector<int8_t> out;
  for (int i = 0; i < r.rows; ++i)
    for (int j = 0; j < r.cols; ++j) {
      double scale = r.scales.size() == 1 ? r.scales[0] : r.scales[j];
      int64_t centered = int64_t(r.input[i * r.cols + j]) - r.inZp;
      out.push_back(
          output(apply(centered, fixedPoint(scale)), r.outZp, r.lo, r.hi));
    }
  return out;
}

std::vector<int8_t> add(const Add &a) {
  std::vector<Fixed> f =
      fixedPointShared({double(a.lhsScale) / double(a.outScale),
                        double(a.rhsScale) / double(a.outScale)});
  std::vector<int8_t> out;
  for (size_t i = 0; i < a.lhs.size(); ++i) {
    int64_t q = (int64_t(a.lhs[i]) - a.lhsZp) * f[0].multiplier +
                (int64_t(a.rhs[i]) - a.rhsZp) * f[1].multiplier;
    out.push_back(output(apply(q, {1, f[0].shift}), a.outZp, a.lo, a.hi));
  }
  return out;
}

std::vector<int8_t> quantize(const std::vector<float> &x, int cols,
                             const std::vector<float> &scales,
                             const std::vector<int32_t> &zps) {
  std::vector<int8_t> out;
  for (size_t i = 0; i < x.size(); ++i) {
    size_t k = scales.size() == 1 ? 0 : i % cols;
    float v = std::nearbyint(x[i] / scales[k]) + float(zps[k]);
    if (std::isnan(v))
      v = -128.0f;
    out.push_back(static_cast<int8_t>(std::clamp(v, -128.0f, 127.0f)));
  }
  return out;
}

std::vector<float> dequantize(const std::vector<int8_t> &x, int cols,
                              const std::vector<float> &scales,
                              const std::vector<int32_t> &zps) {
  std::vector<float> out;
  for (size_t i = 0; i < x.size(); ++i) {
    size_t k = scales.size() == 1 ? 0 : i % cols;
    out.push_back(float(int32_t(x[i]) - zps[k]) * scales[k]);
  }
  return out;
}

std::vector<float> convF32(const Conv &c, const std::vector<float> &input,
                           const std::vector<float> &weights,
                           const std::vector<float> &bias) {
  int oh = c.outH(), ow = c.outW();
  std::vector<float> out(size_t(c.n) * oh * ow * c.co);
  for (int n = 0; n < c.n; ++n)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        for (int o = 0; o < c.co; ++o) {
          float acc = bias[o];
          for (int i = 0; i < c.kh; ++i)
            for (int j = 0; j < c.kw; ++j) {
              int iy = y * c.stride[0] - c.pad[0] + i * c.dilation[0];
              int ix = x * c.stride[1] - c.pad[2] + j * c.dilation[1];
              for (int ci = 0; ci < c.ci; ++ci) {
                bool inside = iy >= 0 && iy < c.h && ix >= 0 && ix < c.w;
                float v =
                    inside
                        ? input[((size_t(n) * c.h + iy) * c.w + ix) * c.ci + ci]
                        : 0.0f;
                float product =
                    v *
                    weights[((size_t(o) * c.kh + i) * c.kw + j) * c.ci + ci];
                acc = acc + product;
              }
            }
          out[((size_t(n) * oh + y) * ow + x) * c.co + o] = acc;
        }
  return out;
}

std::vector<float> depthwiseF32(const Conv &c, const std::vector<float> &input,
                                const std::vector<float> &weights,
                                const std::vector<float> &bias) {
  int oh = c.outH(), ow = c.outW();
  std::vector<float> out(size_t(c.n) * oh * ow * c.co);
  for (int n = 0; n < c.n; ++n)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        for (int ch = 0; ch < c.co; ++ch) {
          float acc = 0.0f;
          for (int i = 0; i < c.kh; ++i)
            for (int j = 0; j < c.kw; ++j) {
              int iy = y * c.stride[0] - c.pad[0] + i * c.dilation[0];
              int ix = x * c.stride[1] - c.pad[2] + j * c.dilation[1];
              bool inside = iy >= 0 && iy < c.h && ix >= 0 && ix < c.w;
              float v =
                  inside
                      ? input[((size_t(n) * c.h + iy) * c.w + ix) * c.ci + ch]
                      : 0.0f;
              float product = v * weights[(size_t(i) * c.kw + j) * c.co + ch];
              acc = acc + product;
            }
          out[((size_t(n) * oh + y) * ow + x) * c.co + ch] = bias[ch] + acc;
        }
  return out;
}

} // namespace golden
