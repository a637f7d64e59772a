//===- ElementwiseDifferentialTest.cpp - rescale, add, clamp, table, ... --===//

#include "ConvCases.h"
#include "Differential.h"
#include "Golden.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace differential;

namespace {

/// A random 2-D shape [rows, cols] with small, odd sizes.
std::vector<int64_t> smallShape(Random &rng) {
  return {rng.uniform(1, 4), rng.uniform(1, 9)};
}

/// A real scale for rescale ops, sometimes at the fixed-point edges.
double rescaleScale(Random &rng) {
  switch (rng.uniform(0, 7)) {
  case 0:
    return std::ldexp(1.0, int(rng.uniform(-40, 10))); // exact, tiny or big
  case 1:
    return std::ldexp(1.0 - std::ldexp(1.0, -33), int(rng.uniform(-8, 0)));
  default:
    return std::ldexp(rng.real(0.5, 1.0), int(rng.uniform(-24, 2)));
  }
}

} // namespace

TEST(Differential, Rescale) {
  Random rng(0x5eed0101);
  Batch batch;
  for (int i = 0; i < kCasesPerKind; ++i) {
    golden::Rescale r;
    std::vector<int64_t> shape = smallShape(rng);
    r.rows = int(shape[0]);
    r.cols = int(shape[1]);
    r.i32Input = rng.chance(0.5);
    size_t n = size_t(r.rows) * r.cols;
    if (r.i32Input) {
      r.input.resize(n);
      int64_t range = rng.chance(0.2) ? std::numeric_limits<int32_t>::max()
                                      : (int64_t(1) << 20);
      for (int32_t &v : r.input)
        v = int32_t(rng.uniform(-range - (range > (1 << 20) ? 1 : 0), range));
      r.inZp = rng.chance(0.5) ? 0 : int32_t(rng.uniform(-1000, 1000));
    } else {
      for (int8_t v : rng.int8s(n))
        r.input.push_back(v);
      r.inZp = rng.zeroPoint();
    }
    bool perAxis = rng.chance(0.5);
    for (int c = 0, e = perAxis ? r.cols : 1; c < e; ++c)
      r.scales.push_back(rescaleScale(rng));
    r.outZp = rng.zeroPoint();
    std::tie(r.lo, r.hi) = rng.clamp();

    std::string element = r.i32Input ? "i32" : "i8";
    HostTensor input =
        r.i32Input ? i32Tensor(shape, r.input)
                   : i8Tensor(shape, std::vector<int8_t>(r.input.begin(),
                                                         r.input.end()));
    std::string body =
        "  %y = prom.rescale %x input_zp " + std::to_string(r.inZp) +
        " scales " + list(r.scales) + (perAxis ? " axis 1" : "") +
        " output_zp " + std::to_string(r.outZp) + clampSuffix({r.lo, r.hi}) +
        " : " + tensorType(shape, element) + " -> " + tensorType(shape, "i8") +
        "\n  return %y : " + tensorType(shape, "i8");
    batch.add("(%x: " + tensorType(shape, element) + ") -> " +
                  tensorType(shape, "i8"),
              body, {input}, i8Tensor(shape, golden::rescale(r)),
              "rescale " + element + " scales " + list(r.scales));
  }
  batch.run();
}

TEST(Differential, Add) {
  Random rng(0x5eed0102);
  Batch batch;
  for (int i = 0; i < kCasesPerKind; ++i) {
    golden::Add a;
    std::vector<int64_t> shape = smallShape(rng);
    size_t n = size_t(shape[0] * shape[1]);
    a.lhs = rng.int8s(n);
    a.rhs = rng.int8s(n);
    randomizeAddQuantization(rng, a);
    addAddCase(batch, a, shape, "add " + tensorType(shape, "i8"));
  }
  batch.run();
}

TEST(Differential, ClampAndTable) {
  Random rng(0x5eed0103);
  Batch batch;
  for (int i = 0; i < kCasesPerKind; ++i) {
    std::vector<int64_t> shape = smallShape(rng);
    std::vector<int8_t> x = rng.int8s(size_t(shape[0] * shape[1]));
    std::string type = tensorType(shape, "i8");
    std::vector<int8_t> want;
    std::string body;
    if (i % 2 == 0) {
      int32_t lo = int32_t(rng.uniform(-128, 127));
      int32_t hi = int32_t(rng.uniform(lo, 127));
      for (int8_t v : x)
        want.push_back(int8_t(std::clamp<int32_t>(v, lo, hi)));
      body = "  %y = prom.clamp %x min " + std::to_string(lo) + " max " +
             std::to_string(hi) + " : " + type;
    } else {
      std::vector<int8_t> table = rng.int8s(256);
      for (int8_t v : x)
        want.push_back(table[v + 128]);
      body = "  %y = prom.table %x " + list(table) + " : " + type;
    }
    batch.add("(%x: " + type + ") -> " + type, body + "\n  return %y : " + type,
              {i8Tensor(shape, x)}, i8Tensor(shape, want),
              i % 2 ? "table" : "clamp");
  }
  batch.run();
}

TEST(Differential, Concat) {
  Random rng(0x5eed0104);
  Batch batch;
  for (int i = 0; i < kCasesPerKind; ++i) {
    int64_t rank = rng.uniform(1, 4);
    int64_t axis = rng.uniform(0, rank - 1);
    std::vector<int64_t> base(rank);
    for (int64_t &d : base)
      d = rng.uniform(1, 4);
    int parts = int(rng.uniform(1, 4));
    std::vector<std::vector<int64_t>> shapes;
    std::vector<std::vector<int8_t>> values;
    std::vector<int64_t> outShape = base;
    outShape[axis] = 0;
    std::string sig = "(", operands, types;
    std::vector<HostTensor> inputs;
    for (int p = 0; p < parts; ++p) {
      std::vector<int64_t> shape = base;
      shape[axis] = rng.uniform(1, 3);
      outShape[axis] += shape[axis];
      int64_t n = 1;
      for (int64_t d : shape)
        n *= d;
      shapes.push_back(shape);
      values.push_back(rng.int8s(size_t(n)));
      inputs.push_back(i8Tensor(shape, values.back()));
      std::string name = "%x" + std::to_string(p);
      sig += (p ? ", " : "") + name + ": " + tensorType(shape, "i8");
      operands += (p ? ", " : "") + name;
      types += (p ? ", " : "") + tensorType(shape, "i8");
    }
    // Golden concat: outer = product of dims before axis, each part
    // contributes a contiguous run of shape[axis] * inner per outer index.
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= base[d];
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= base[d];
    std::vector<int8_t> want;
    for (int64_t o = 0; o < outer; ++o)
      for (int p = 0; p < parts; ++p) {
        int64_t run = shapes[p][axis] * inner;
        want.insert(want.end(), values[p].begin() + o * run,
                    values[p].begin() + (o + 1) * run);
      }
    std::string outType = tensorType(outShape, "i8");
    batch.add(sig + ") -> " + outType,
              "  %y = prom.concat " + operands + " axis " +
                  std::to_string(axis) + " : (" + types + ") -> " + outType +
                  "\n  return %y : " + outType,
              std::move(inputs), i8Tensor(outShape, want),
              "concat of " + std::to_string(parts) + " on axis " +
                  std::to_string(axis));
  }
  batch.run();
}

TEST(Differential, QuantizeDequantize) {
  Random rng(0x5eed0105);
  Batch batch;
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            1e30f,
                            -1e30f,
                            0.0f,
                            -0.0f};
  for (int i = 0; i < kCasesPerKind; ++i) {
    std::vector<int64_t> shape = smallShape(rng);
    int cols = int(shape[1]);
    size_t n = size_t(shape[0] * shape[1]);
    bool perAxis = rng.chance(0.5);
    std::vector<float> scales;
    std::vector<int32_t> zps;
    for (int c = 0, e = perAxis ? cols : 1; c < e; ++c) {
      scales.push_back(rng.chance(0.3)
                           ? std::ldexp(1.0f, int(rng.uniform(-8, 0)))
                           : float(rng.real(0.001, 0.5)));
      zps.push_back(rng.zeroPoint());
    }
    std::string params = " scales " + list(scales) + " zero_points " +
                         list(zps) + (perAxis ? " axis 1" : "");
    if (i % 2 == 0) {
      std::vector<float> x(n);
      for (size_t k = 0; k < x.size(); ++k) {
        float scale = scales[perAxis ? k % cols : 0];
        if (rng.chance(0.05))
          x[k] = specials[rng.uniform(0, 6)];
        else if (rng.chance(0.3)) // exact ties: (m + 0.5) * scale
          x[k] = (float(rng.uniform(-200, 200)) + 0.5f) * scale;
        else
          x[k] = float(rng.real(-200.0, 200.0)) * scale;
      }
      batch.add("(%x: " + tensorType(shape, "f32") + ") -> " +
                    tensorType(shape, "i8"),
                "  %y = prom.quantize %x" + params + " : " +
                    tensorType(shape, "f32") + " -> " +
                    tensorType(shape, "i8") +
                    "\n  return %y : " + tensorType(shape, "i8"),
                {f32Tensor(shape, x)},
                i8Tensor(shape, golden::quantize(x, cols, scales, zps)),
                "quantize" + params);
    } else {
      std::vector<int8_t> x = rng.int8s(n);
      batch.add("(%x: " + tensorType(shape, "i8") + ") -> " +
                    tensorType(shape, "f32"),
                "  %y = prom.dequantize %x" + params + " : " +
                    tensorType(shape, "i8") + " -> " +
                    tensorType(shape, "f32") +
                    "\n  return %y : " + tensorType(shape, "f32"),
                {i8Tensor(shape, x)},
                f32Tensor(shape, golden::dequantize(x, cols, scales, zps)),
                "dequantize" + params);
    }
  }
  batch.run();
}
