//===- DepthwiseVectorTest.cpp - prom-depthwise-vector vs the golden model ===//
//
// Random int8 depthwise convolutions (windows 1x1 to 3x3, stride 1/2,
// dilation 1/2, padding 0-2 per side, channel counts that are not
// multiples of the vector) and worst cases (inputs at one end of the int8
// range, the zero point at the other, weights at their extremes), through
// prom-depthwise-vector in each form, on each ISA the host runs, byte for
// byte against the golden model.
//
//===----------------------------------------------------------------------===//

#include "ConvCases.h"
#include "Differential.h"
#include "Golden.h"

#include "Prom/Codegen/CPU/Common/Requantization.h"
#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/TargetParser/Host.h"

#include "gtest/gtest.h"

using namespace differential;

namespace {

void addDepthwiseCases(Batch &batch, Random &rng, int count, int64_t lanes,
                       bool extremes) {
  for (int i = 0; i < count; ++i) {
    golden::Conv c;
    c.n = rng.chance(0.2) ? 2 : 1;
    randomizeWindow(rng, c);
    c.ci = c.co = c.groups =
        int(rng.chance(0.2) ? rng.uniform(lanes, 4 * lanes + 7)
                            : rng.uniform(lanes, lanes + 9));
    size_t n = size_t(c.co) * c.kh * c.kw;
    if (extremes)
      c.weights.assign(n, rng.chance(0.5) ? 127 : -128);
    randomizeConvData(rng, c);
    if (extremes)
      setWorstCaseInput(rng, c);
    addConvCase(batch, c, "prom.conv2d",
                hexDense(c.weights.data(), c.weights.size()));
  }
}

/// `lanes` channels a vector in `form` (none: the multiply form), tiles of
/// `tile` pixels.
void runDepthwise(int64_t lanes, std::optional<mlir::prom::KernelForm> form,
                  int64_t tile, const std::string &cpu, uint64_t seed,
                  int cases = 1000) {
  SCOPED_TRACE(std::to_string(lanes) + " lanes, form " +
               (form ? mlir::prom::stringifyKernelForm(*form).str()
                     : std::string("multiply")) +
               " on cpu " + (cpu.empty() ? "host" : cpu));
  mlir::prom::KernelIsa isa = !form         ? mlir::prom::KernelIsa::None
                              : lanes == 16 ? mlir::prom::KernelIsa::Avx512Vnni
                                            : mlir::prom::KernelIsa::Avx2;
  Random rng(seed);
  Batch batch;
  addDepthwiseCases(batch, rng, cases, lanes, /*extremes=*/false);
  addDepthwiseCases(batch, rng, cases / 4, lanes, /*extremes=*/true);
  batch.run(
      [&](mlir::OpPassManager &pm) {
        pm.addPass(
            createAssignKernelPass("prom.conv2d", [&](mlir::Operation *op) {
              return mlir::prom::KernelAttr::get(
                  op->getContext(), mlir::prom::KernelKind::DepthwiseVector,
                  isa, form, lanes, tile, 0, 0,
                  *mlir::prom::selectRequantForm(
                      op, mlir::prom::KernelKind::DepthwiseVector, form),
                  "");
            }));
        pm.addPass(mlir::prom::createPromDepthwiseVector());
      },
      cpu);
}

int64_t hostLanes() {
  return llvm::sys::getHostCPUFeatures().lookup("avx512f") ? 16 : 8;
}

} // namespace

// The host's own vector width: 16 lanes with AVX-512, 8 with AVX2 only;
// vpmaddwd (vpdpwssd with AVX-512 VNNI) two taps a step.
TEST(DepthwiseVector, HostWidth) {
  runDepthwise(hostLanes(), mlir::prom::KernelForm::Vpmaddwd, 4, "",
               0x5eed0e01);
}

// The target-neutral multiply form, tiles of 3.
TEST(DepthwiseVector, MultiplyForm) {
  runDepthwise(hostLanes(), std::nullopt, 3, "", 0x5eed0e03, 400);
}

TEST(DepthwiseVector, Avx2OnlyCpu) {
  std::vector<std::string> isas = hostIsas();
  if (isas.size() < 2)
    GTEST_SKIP() << "the host has no AVX-512: HostWidth is this run";
  runDepthwise(8, mlir::prom::KernelForm::Vpmaddwd, 4, isas[1], 0x5eed0e02);
}
