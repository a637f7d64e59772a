//===- ConvCases.cpp - random convolution cases for differential tests ----===//

#include "ConvCases.h"

#include <cmath>

namespace differential {

std::string describe(const golden::Conv &c) {
  return "n=" + std::to_string(c.n) + " hw=" + std::to_string(c.h) + "x" +
         std::to_string(c.w) + " ci=" + std::to_string(c.ci) +
         " co=" + std::to_string(c.co) + " k=" + std::to_string(c.kh) + "x" +
         std::to_string(c.kw) + " groups=" + std::to_string(c.groups) +
         " stride=" + std::to_string(c.stride[0]) + "," +
         std::to_string(c.stride[1]) +
         " dilation=" + std::to_string(c.dilation[0]) + "," +
         std::to_string(c.dilation[1]) + " pad=" + std::to_string(c.pad[0]) +
         "," + std::to_string(c.pad[1]) + "," + std::to_string(c.pad[2]) + "," +
         std::to_string(c.pad[3]) + " zp=" + std::to_string(c.inZp) + "->" +
         std::to_string(c.outZp);
}

void randomizeConvData(Random &rng, golden::Conv &c) {
  int cig = c.ci / c.groups;
  c.input = rng.int8s(size_t(c.n) * c.h * c.w * c.ci);
  // A typical |w|: about 64 for random int8 weights; for weights given
  // (ternary ones) their root mean square, so that their outputs spread
  // over the i8 range and one input channel more or less shows in them.
  double weight = 64.0;
  if (c.weights.empty()) {
    c.weights = rng.int8s(size_t(c.co) * c.kh * c.kw * cig);
  } else {
    double squares = 0;
    for (int8_t w : c.weights)
      squares += double(w) * w;
    weight = std::max(std::sqrt(squares / double(c.weights.size())), 0.25);
  }
  c.inZp = rng.zeroPoint();
  c.outZp = rng.zeroPoint();
  double typicalAcc = 128.0 * weight * std::sqrt(double(c.kh * c.kw * cig));
  RequantScales s = rng.requantScales(c.co, typicalAcc);
  c.inScale = s.input;
  c.outScale = s.output;
  c.weightScales = s.weights;
  if (rng.chance(0.5)) {
    std::vector<int32_t> bias(c.co);
    int64_t range = rng.chance(0.1) ? (int64_t(1) << 30) : (1 << 16);
    for (int32_t &b : bias)
      b = static_cast<int32_t>(rng.uniform(-range, range));
    c.bias = bias;
  }
  std::tie(c.lo, c.hi) = rng.clamp();
}

void randomizeWindow(Random &rng, golden::Conv &c) {
  do {
    c.h = int(rng.uniform(1, 9));
    c.w = int(rng.uniform(1, 9));
    c.kh = int(rng.uniform(1, 3));
    c.kw = int(rng.uniform(1, 3));
    c.stride = {int(rng.uniform(1, 2)), int(rng.uniform(1, 2))};
    c.dilation = {rng.chance(0.3) ? 2 : 1, rng.chance(0.3) ? 2 : 1};
    for (int &p : c.pad)
      p = int(rng.uniform(0, 2));
  } while (c.h + c.pad[0] + c.pad[1] < c.dilation[0] * (c.kh - 1) + 1 ||
           c.w + c.pad[2] + c.pad[3] < c.dilation[1] * (c.kw - 1) + 1);
}

void addConvCase(Batch &batch, const golden::Conv &c, const std::string &opName,
                 const std::string &weightsValue) {
  std::vector<int64_t> in = {c.n, c.h, c.w, c.ci};
  std::vector<int64_t> w = {c.co, c.kh, c.kw, c.ci / c.groups};
  std::vector<int64_t> out = {c.n, c.outH(), c.outW(), c.co};
  bool ternary = opName == "prom.ternary_conv2d";
  std::string sig = "(%x: " + tensorType(in, "i8");
  std::string operands = "%x, %w";
  std::string types = tensorType(in, "i8") + ", " + tensorType(w, "i8");
  std::string body;
  std::vector<HostTensor> inputs = {i8Tensor(in, c.input)};
  if (weightsValue.empty()) {
    sig += ", %w: " + tensorType(w, "i8");
    inputs.push_back(i8Tensor(w, c.weights));
  } else {
    body += "  %w = arith.constant " + weightsValue + " : " +
            tensorType(w, "i8") + "\n";
  }
  // With constant weights, a bias whose first value is even is a constant
  // too, as the compiler produces them (the kernels may then bound the
  // accumulators); any other bias is an input.
  if (c.bias && !weightsValue.empty() && c.bias->front() % 2 == 0) {
    operands += ", %b";
    types += ", " + tensorType({c.co}, "i32");
    body += "  %b = arith.constant " +
            hexDense(c.bias->data(), c.bias->size() * sizeof(int32_t)) + " : " +
            tensorType({c.co}, "i32") + "\n";
  } else if (c.bias) {
    sig += ", %b: " + tensorType({c.co}, "i32");
    operands += ", %b";
    types += ", " + tensorType({c.co}, "i32");
    inputs.push_back(i32Tensor({c.co}, *c.bias));
  }
  sig += ") -> " + tensorType(out, "i8");
  std::string geometry =
      ternary
          ? " stride " + list(std::vector<int>{c.stride[0], c.stride[1]})
          : " stride " + list(std::vector<int>{c.stride[0], c.stride[1]}) +
                " pad " + list(std::vector<int>(c.pad.begin(), c.pad.end())) +
                " dilation " +
                list(std::vector<int>{c.dilation[0], c.dilation[1]}) +
                " groups " + std::to_string(c.groups);
  body += "  %y = " + opName + " " + operands + geometry + " input(" +
          f32(c.inScale) + ", " + std::to_string(c.inZp) + ") weight_scales " +
          list(c.weightScales) + " output(" + f32(c.outScale) + ", " +
          std::to_string(c.outZp) + ")" + clampSuffix({c.lo, c.hi}) + " : (" +
          types + ") -> " + tensorType(out, "i8") +
          "\n  return %y : " + tensorType(out, "i8");
  batch.add(sig, body, std::move(inputs), i8Tensor(out, golden::conv2d(c)),
            opName + " " + describe(c));
}

void randomizePointwise(Random &rng, golden::Conv &c, int maxSide,
                        int maxChannels, bool extremes) {
  c.n = rng.chance(0.2) ? 2 : 1;
  c.h = int(rng.uniform(1, maxSide));
  c.w = int(rng.uniform(1, maxSide));
  c.kh = c.kw = 1;
  c.stride = {int(rng.uniform(1, 2)), int(rng.uniform(1, 2))};
  c.dilation = {1, 1};
  c.pad = {0, 0, 0, 0};
  c.groups = 1;
  // Now and then a long reduction, as in MobileNet's deep layers.
  c.ci = rng.chance(0.15) ? int(rng.uniform(64, 320))
                          : int(rng.uniform(1, maxChannels));
  if (extremes && rng.chance(0.3))
    c.ci = int(rng.uniform(1024, 2048));
}

void setWorstCaseInput(Random &rng, golden::Conv &c) {
  int8_t end = rng.chance(0.5) ? 127 : -128;
  std::fill(c.input.begin(), c.input.end(), end);
  c.inZp = end == 127 ? -128 : 127;
}

void addTernaryCases(Batch &batch, Random &rng, int count, bool extremes) {
  for (int i = 0; i < count; ++i) {
    golden::Conv c;
    randomizePointwise(rng, c, 7, 24, extremes);
    c.co = int(rng.uniform(1, 12));
    c.weights.resize(size_t(c.co) * c.ci);
    double dense = rng.real(0.0, 1.0);
    int8_t sign = rng.chance(0.5) ? 1 : -1;
    for (int8_t &w : c.weights)
      w = extremes ? sign
                   : (rng.chance(dense) ? (rng.chance(0.5) ? 1 : -1) : 0);
    randomizeConvData(rng, c);
    if (extremes)
      setWorstCaseInput(rng, c);
    // Constant weights, as the compiler produces them.
    addConvCase(batch, c, "prom.ternary_conv2d",
                hexDense(c.weights.data(), c.weights.size()));
  }
}

} // namespace differential

void differential::randomizeAddQuantization(Random &rng, golden::Add &a) {
  a.lhsZp = rng.zeroPoint();
  a.rhsZp = rng.zeroPoint();
  a.outZp = rng.zeroPoint();
  a.lhsScale = float(rng.real(0.005, 0.1));
  a.rhsScale = rng.chance(0.2) ? a.lhsScale : float(rng.real(0.005, 0.1));
  a.outScale = float(std::max(a.lhsScale, a.rhsScale) * rng.real(0.5, 3.0));
  std::tie(a.lo, a.hi) = rng.clamp();
}

void differential::addAddCase(Batch &batch, const golden::Add &a,
                              const std::vector<int64_t> &shape,
                              const std::string &label) {
  std::string type = tensorType(shape, "i8");
  std::string body = "  %y = prom.add %a, %b lhs(" + f32(a.lhsScale) + ", " +
                     std::to_string(a.lhsZp) + ") rhs(" + f32(a.rhsScale) +
                     ", " + std::to_string(a.rhsZp) + ") output(" +
                     f32(a.outScale) + ", " + std::to_string(a.outZp) + ")" +
                     clampSuffix({a.lo, a.hi}) + " : " + type +
                     "\n  return %y : " + type;
  batch.add("(%a: " + type + ", %b: " + type + ") -> " + type, body,
            {i8Tensor(shape, a.lhs), i8Tensor(shape, a.rhs)},
            i8Tensor(shape, golden::add(a)), label);
}
