//===- QuantizeModel.cpp - prom's front half as a named pipeline ----------===//

#include "Prom/Pipelines/QuantizeModel.h"

#include "Prom/Calibration/Passes.h"
#include "Prom/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::prom;

void mlir::prom::buildQuantizeModelPipeline(
    OpPassManager &pm, const QuantizeModelPipelineOptions &options) {
  if (!options.quantized && options.policy != BitWidthPolicy::Float) {
    PromAssignBitwidthsOptions plan;
    plan.policy = options.policy;
    plan.weightBudget = options.weightBudget;
    plan.overrides.assign(options.overrides.begin(), options.overrides.end());
    plan.overrideFile = options.overrideFile;
    if (options.policy == BitWidthPolicy::Budget)
      pm.addPass(createPromTernarySensitivity(
          PromTernarySensitivityOptions{options.calibrationDir, 8, 0}));
    pm.addPass(createPromAssignBitwidths(plan));
    PromCalibrateOptions calibrate;
    calibrate.inputs = options.calibrationDir;
    pm.addPass(createPromCalibrate(calibrate));
    pm.addPass(createPromQuantize());
  }
  pm.addPass(createPromQDQToInteger());
  pm.addPass(createPromTabulateElementwise());
  pm.addPass(createCanonicalizerPass());
  if (!options.report.empty()) {
    PromCostReportOptions cost;
    cost.report = options.report;
    pm.addPass(createPromCostReport(cost));
  }
  if (options.haste) {
    // After the cost report, which counts the convolutions before merging.
    PromHasteOptions haste;
    haste.layers = options.hasteLayers;
    haste.hyperplanes = options.hasteHyperplanes;
    haste.patch.assign(options.hastePatch.begin(), options.hastePatch.end());
    pm.addPass(createPromHaste(haste));
  }
}

void mlir::prom::registerQuantizeModelPipeline() {
  PassPipelineRegistration<QuantizeModelPipelineOptions>(
      "prom-quantize-model",
      "Quantize a float or QDQ model into integer prom ops (promc's steps "
      "before prom-to-llvm)",
      buildQuantizeModelPipeline);
}
