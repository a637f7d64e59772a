//===- LookupTableTest.cpp - tables of MobileNetV3's nonlinearities -------===//

#include "Prom/Utils/LookupTable.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::prom;

TEST(LookupTable, IdentityWithEqualQuantizationIsIdentity) {
  auto table =
      computeLookupTable([](double x) { return x; }, 0.05f, 7, 0.05f, 7);
  for (int q = -128; q <= 127; ++q)
    EXPECT_EQ(table[q + 128], q);
}

TEST(LookupTable, RequantizesAndSaturates) {
  // Output scale half the input's: values double, then saturate.
  auto table =
      computeLookupTable([](double x) { return x; }, 0.1f, 0, 0.05f, 0);
  EXPECT_EQ(table[128 + 10], 20);
  EXPECT_EQ(table[128 - 10], -20);
  EXPECT_EQ(table[128 + 100], 127);
  EXPECT_EQ(table[128 - 100], -128);
}

TEST(LookupTable, HardSwishMatchesItsDefinition) {
  float inScale = 6.0f / 128, outScale = 6.0f / 128;
  int32_t inZp = 0, outZp = -64;
  auto table = computeLookupTable(hardSwish, inScale, inZp, outScale, outZp);
  // hardswish(0) = 0, hardswish(x <= -3) = 0, hardswish(x >= 3) = x.
  EXPECT_EQ(table[128 + inZp], outZp);
  EXPECT_EQ(table[128 - 100], outZp);
  EXPECT_EQ(table[128 + 80], std::min(127, 80 + outZp));
  // Its minimum, -3/8 at x = -1.5, is 8 steps below the zero point.
  int lowest = 127;
  for (int8_t v : table)
    lowest = std::min<int>(lowest, v);
  EXPECT_EQ(lowest, outZp + int(std::round(-0.375 / outScale)));
}

TEST(LookupTable, SigmoidAndHardSigmoidAreMonotoneInTheirRange) {
  for (auto fn : {+[](double x) { return sigmoid(x); },
                  +[](double x) { return hardSigmoid(x); }}) {
    auto table = computeLookupTable(fn, 0.05f, 0, 1.0f / 256, -128);
    EXPECT_EQ(table[0], -128);  // f(-6.4) * 256 < 0.5
    EXPECT_EQ(table[255], 127); // f(6.35) * 256 rounds to 256: saturates
    for (int i = 1; i < 256; ++i)
      EXPECT_GE(table[i], table[i - 1]) << i;
    EXPECT_EQ(table[128], 0); // f(0) = 0.5 -> 128 steps above -128
  }
  EXPECT_DOUBLE_EQ(hardSigmoid(1.0, 0.2, 0.5), 0.7); // ONNX's default alpha
}
