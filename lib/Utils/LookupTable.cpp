//===- LookupTable.cpp - int8 tables of real functions --------------------===//

#include "Prom/Utils/LookupTable.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::prom;

std::array<int8_t, 256>
mlir::prom::computeLookupTable(llvm::function_ref<double(double)> fn,
                               float inScale, int32_t inZp, float outScale,
                               int32_t outZp) {
  std::array<int8_t, 256> table;
  for (int q = -128; q <= 127; ++q) {
    double y = fn((q - inZp) * double(inScale)) / double(outScale);
    // std::round rounds half away from zero, as requantization does.
    double stored = std::round(y) + outZp;
    table[q + 128] = static_cast<int8_t>(std::clamp(stored, -128.0, 127.0));
  }
  return table;
}

double mlir::prom::hardSigmoid(double x, double alpha, double beta) {
  return std::clamp(alpha * x + beta, 0.0, 1.0);
}

double mlir::prom::hardSwish(double x) { return x * hardSigmoid(x); }

double mlir::prom::sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
