//===- AddVectorTest.cpp - prom-add-vector vs the golden model ------------===//
//
// prom.add through prom-add-vector on all 65536 input pairs at once (a
// 256 x 256 tensor), for random scales, zero points and clamps, byte for
// byte against the golden model; and how often the selection finds the
// kernel's exact i32 form.
//
//===----------------------------------------------------------------------===//

#include "ConvCases.h"
#include "Differential.h"
#include "Golden.h"

#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/TargetParser/Host.h"

#include "gtest/gtest.h"

using namespace differential;

namespace {

/// Whether the add kernel has a form for `a`'s scales (narrowAddForm's
/// test, on the golden model's own numbers).
bool hasForm(const golden::Add &a) {
  double ratios[] = {double(a.lhsScale) / double(a.outScale),
                     double(a.rhsScale) / double(a.outScale)};
  std::optional<mlir::prom::FixedPointScales> fp =
      mlir::prom::computeFixedPointScales(ratios);
  return fp && mlir::prom::findNarrowAddForm(
                   fp->multipliers[0], fp->multipliers[1], fp->shift, a.lhsZp,
                   a.rhsZp, a.outZp, a.lo, a.hi);
}

} // namespace

TEST(AddVector, AllPairs) {
  int64_t lanes = llvm::sys::getHostCPUFeatures().lookup("avx512f") ? 16 : 8;
  Random rng(0x5eed0a01);
  Batch batch;
  std::vector<int64_t> shape = {256, 256};
  int cases = 0, withForm = 0;
  for (; cases < 60; ++cases) {
    golden::Add a;
    for (int x = -128; x < 128; ++x)
      for (int y = -128; y < 128; ++y) {
        a.lhs.push_back(int8_t(x));
        a.rhs.push_back(int8_t(y));
      }
    randomizeAddQuantization(rng, a);
    if (!hasForm(a))
      continue;
    ++withForm;
    addAddCase(batch, a, shape, "add all pairs");
  }
  // Residual adds' scales are of this kind: the form is the rule, not the
  // exception (a broken search would fall to the reference silently).
  EXPECT_GE(withForm, cases * 9 / 10);
  batch.run([&](mlir::OpPassManager &pm) {
    pm.addPass(createAssignKernelPass("prom.add", [&](mlir::Operation *op) {
      return mlir::prom::KernelAttr::get(
          op->getContext(), mlir::prom::KernelKind::AddVector,
          mlir::prom::KernelIsa::None, std::nullopt, lanes, 0, 0, 0,
          std::nullopt, "");
    }));
    pm.addPass(mlir::prom::createPromAddVector());
  });
}
