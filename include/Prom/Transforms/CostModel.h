//===- CostModel.h - operation counts, storage and energy of layers -*- C++
//-*-===//
//
// What prom-cost-report counts (docs/cost-model.md): per layer, the
// multiply-accumulates of the dense layer, the multiplies and additions the
// layer's form actually performs, weight storage as stored and at the fp16
// and int8 baselines, and energy from a table of picojoules per operation.
// The table is data (JSON), with prom's default taken from Horowitz,
// "Computing's energy problem", ISSCC 2014 (45 nm).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_TRANSFORMS_COSTMODEL_H
#define PROM_TRANSFORMS_COSTMODEL_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace mlir {
namespace prom {

/// Picojoules per operation and the choices of which operation stands for
/// what (all names are keys of `pj`).
struct EnergyTable {
  std::string source;
  llvm::StringMap<double> pj; // e.g. "int8_mult" -> 0.2
  /// The addition of an int8 x int8 multiply-accumulate.
  std::string int8Accumulate = "int32_add";
  /// The addition of an fp16 multiply-accumulate (the fp16 baseline).
  std::string fp16Accumulate = "fp16_add";
  /// The addition a ternary layer performs per (nonzero) weight and pixel.
  std::string ternaryAdd = "int32_add";
  /// Whether a ternary layer adds for every weight or only nonzero ones.
  bool ternaryCountsZeros = false;
  /// The operation charged per requantized output, or "" for none.
  std::string requantization;
  /// Ternary weights packed 2 bits each, or 5 per byte (base 3).
  bool ternaryBase3 = false;

  static EnergyTable getDefault();
  /// Parses the JSON form; errors name the offending field.
  static llvm::Expected<EnergyTable> parse(llvm::StringRef json);
  double get(llvm::StringRef op) const { return pj.lookup(op); }
};

enum class WeightForm { F32, Int8, Ternary };

struct LayerCost {
  std::string name;   // layer name (location), may be empty
  std::string opName; // e.g. prom.ternary_conv2d
  WeightForm form;
  int64_t macs = 0;           // of the dense layer
  int64_t multiplies = 0;     // performed in this form
  int64_t additions = 0;      // performed in this form
  int64_t weights = 0;        // weight elements
  int64_t nonzeroWeights = 0; // for ternary (and int8) constants
  int64_t outputs = 0;        // output elements (= requantizations)
  int64_t channels = 0;       // output channels
  bool hasBias = false;
  int64_t activationBytes = 0; // output tensor bytes

  /// Weight, scale and bias bytes as stored in this form.
  int64_t storedBytes(const EnergyTable &table) const;
  int64_t fp16Bytes() const;
  int64_t int8Bytes() const;
  /// Energy in picojoules in this form and at the two baselines.
  double energyPj(const EnergyTable &table) const;
  double fp16EnergyPj(const EnergyTable &table) const;
  double int8EnergyPj(const EnergyTable &table) const;
};

/// The cost of `op` if it is a layer prom counts: prom.conv2d,
/// prom.ternary_conv2d, prom.fully_connected, or a float convolution or
/// matrix multiplication (see LayerInfo.h). Ternary additions come from the
/// weight constant's nonzero entries.
std::optional<LayerCost> computeLayerCost(Operation *op);

llvm::StringRef stringifyWeightForm(WeightForm form);

} // namespace prom
} // namespace mlir

#endif // PROM_TRANSFORMS_COSTMODEL_H
