//===- QuantizeModel.h - prom's front half as a named pipeline --*- C++ -*-===//

#ifndef PROM_PIPELINES_QUANTIZEMODEL_H
#define PROM_PIPELINES_QUANTIZEMODEL_H

#include "Prom/Transforms/Passes.h"

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace prom {

struct QuantizeModelPipelineOptions
    : public PassPipelineOptions<QuantizeModelPipelineOptions> {
  Option<BitWidthPolicy> policy{
      *this, "policy", llvm::cl::desc("Bit-width policy of a float model"),
      llvm::cl::values(
          clEnumValN(BitWidthPolicy::Prom, "prom",
                     "ternary pointwise convolutions, int8 elsewhere"),
          clEnumValN(BitWidthPolicy::Int8, "int8", "int8 everywhere"),
          clEnumValN(BitWidthPolicy::Float, "float", "no quantization"),
          clEnumValN(BitWidthPolicy::Budget, "budget",
                     "ternary pointwise convolutions, least sensitive "
                     "first, until the weights fit weight-budget")),
      llvm::cl::init(BitWidthPolicy::Prom)};
  Option<int64_t> weightBudget{
      *this, "weight-budget",
      llvm::cl::desc("Largest weight storage in bytes (policy=budget)"),
      llvm::cl::init(0)};
  ListOption<std::string> overrides{
      *this, "override",
      llvm::cl::desc("Per-layer overrides REGEX=ternary|int8|float")};
  Option<std::string> overrideFile{
      *this, "override-file",
      llvm::cl::desc("JSON file of further per-layer overrides"),
      llvm::cl::init("")};
  Option<std::string> calibrationDir{
      *this, "calibration-dir",
      llvm::cl::desc("Directory of .npy calibration inputs (default: "
                     "pseudo-random inputs, with a warning)"),
      llvm::cl::init("")};
  Option<bool> quantized{
      *this, "quantized",
      llvm::cl::desc("The model holds its own Q/DQ pairs: keep them (no "
                     "plan, calibration or quantization)"),
      llvm::cl::init(false)};
  Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Write the cost report (JSON) here, - for stdout"),
      llvm::cl::init("")};
  Option<bool> haste{*this, "haste",
                     llvm::cl::desc("HASTE: merge redundant input channels "
                                    "of the convolutions at run time"),
                     llvm::cl::init(false)};
  Option<std::string> hasteLayers{
      *this, "haste-layers",
      llvm::cl::desc("Regex of the layer names HASTE rewrites"),
      llvm::cl::init("")};
  Option<int64_t> hasteHyperplanes{
      *this, "haste-l", llvm::cl::desc("HASTE hyperplanes per layer (1-63)"),
      llvm::cl::init(12)};
  ListOption<int64_t> hastePatch{
      *this, "haste-patch",
      llvm::cl::desc("HASTE output patch H,W (default: the whole map)")};
};

/// Float (or QDQ) model -> integer prom ops: the bit-width plan, calibration
/// and quantization (unless `quantized`), Q/DQ pairs into integer ops, the
/// cost report, HASTE. What promc runs before prom-to-llvm.
void buildQuantizeModelPipeline(OpPassManager &pm,
                                const QuantizeModelPipelineOptions &options);

/// Registers `prom-quantize-model` for textual pipelines and prom-opt.
void registerQuantizeModelPipeline();

} // namespace prom
} // namespace mlir

#endif // PROM_PIPELINES_QUANTIZEMODEL_H
