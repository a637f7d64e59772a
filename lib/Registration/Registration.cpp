//===- Registration.cpp - register prom with an MLIR context --------------===//

#include "Prom/Registration/Registration.h"

#include "Prom/Calibration/Passes.h"
#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Codegen/CPU/X86/BufferizableOpInterfaceImpl.h"
#include "Prom/Conversion/Passes.h"
#include "Prom/Dialect/Prom/IR/PromDialect.h"
#include "Prom/Dialect/Prom/Transforms/TilingInterfaceImpl.h"
#include "Prom/Dialect/PromX86/IR/PromX86Dialect.h"
#include "Prom/Pipelines/Pipelines.h"
#include "Prom/Pipelines/QuantizeModel.h"
#include "Prom/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"

void mlir::prom::registerPromDialects(DialectRegistry &registry) {
  registry.insert<PromDialect, x86::PromX86Dialect>();
  registerX86BufferizableOpInterfaceExternalModels(registry);
  registerTilingInterfaceExternalModels(registry);
}

void mlir::prom::registerPromPasses() {
  registerPromTransformsPasses();
  registerPromCalibrationPasses();
  registerPromCodegenCPUPasses();
  registerPromConversionPasses();
  registerPromPipelines();
  registerQuantizeModelPipeline();
}
