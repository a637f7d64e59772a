//===- CostModel.cpp - operation counts, storage and energy of layers -----===//

#include "Prom/Transforms/CostModel.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/LayerInfo.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::prom;

StringRef mlir::prom::stringifyWeightForm(WeightForm form) {
  switch (form) {
  case WeightForm::F32:
    return "fp32";
  case WeightForm::Int8:
    return "int8";
  case WeightForm::Ternary:
    return "ternary";
  }
  llvm_unreachable("unknown WeightForm");
}

EnergyTable EnergyTable::getDefault() {
  EnergyTable t;
  t.source = "Horowitz, ISSCC 2014, 45 nm";
  t.pj = {{"int8_add", 0.03},  {"int32_add", 0.1}, {"int8_mult", 0.2},
          {"int32_mult", 3.1}, {"fp16_add", 0.4},  {"fp16_mult", 1.1},
          {"fp32_add", 0.9},   {"fp32_mult", 3.7}};
  return t;
}

static llvm::Error tableError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<EnergyTable> EnergyTable::parse(StringRef text) {
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json)
    return json.takeError();
  const llvm::json::Object *root = json->getAsObject();
  if (!root)
    return tableError("expected a JSON object");
  EnergyTable t;
  if (const llvm::json::Value *source = root->get("source")) {
    if (!source->getAsString())
      return tableError("'source' must be a string");
    t.source = source->getAsString()->str();
  }
  const llvm::json::Object *pj = root->getObject("pj");
  if (!pj)
    return tableError("'pj' must be an object of picojoules per operation");
  for (const auto &[key, value] : *pj) {
    std::optional<double> v = value.getAsNumber();
    if (!v || *v < 0)
      return tableError("'pj." + StringRef(key) +
                        "' must be a non-negative number");
    t.pj[key] = *v;
  }
  for (StringRef required :
       {"int8_mult", "fp16_add", "fp16_mult", "fp32_add", "fp32_mult"})
    if (!t.pj.count(required))
      return tableError("'pj." + required + "' is missing");

  auto readOp = [&](StringRef field, std::string &out,
                    bool allowNone) -> llvm::Error {
    const llvm::json::Value *v = root->get(field);
    if (!v)
      return llvm::Error::success();
    std::optional<StringRef> s = v->getAsString();
    if (v->kind() == llvm::json::Value::Null && allowNone) {
      out.clear();
      return llvm::Error::success();
    }
    if (!s || !t.pj.count(*s))
      return tableError("'" + field + "' must name an operation in 'pj'" +
                        (allowNone ? " or be null" : ""));
    out = s->str();
    return llvm::Error::success();
  };
  if (llvm::Error e = readOp("int8_accumulate", t.int8Accumulate, false))
    return std::move(e);
  if (llvm::Error e = readOp("ternary_add", t.ternaryAdd, false))
    return std::move(e);
  if (llvm::Error e = readOp("fp16_accumulate", t.fp16Accumulate, false))
    return std::move(e);
  if (llvm::Error e = readOp("requantization", t.requantization, true))
    return std::move(e);
  if (!t.pj.count(t.int8Accumulate) || !t.pj.count(t.ternaryAdd))
    return tableError(
        "'pj." +
        (t.pj.count(t.int8Accumulate) ? t.ternaryAdd : t.int8Accumulate) +
        "' is missing");
  if (const llvm::json::Value *v = root->get("ternary_count")) {
    std::optional<StringRef> s = v->getAsString();
    if (!s || (*s != "nonzero" && *s != "all"))
      return tableError("'ternary_count' must be \"nonzero\" or \"all\"");
    t.ternaryCountsZeros = *s == "all";
  }
  if (const llvm::json::Value *v = root->get("ternary_packing")) {
    std::optional<StringRef> s = v->getAsString();
    if (!s || (*s != "2bit" && *s != "base3"))
      return tableError("'ternary_packing' must be \"2bit\" or \"base3\"");
    t.ternaryBase3 = *s == "base3";
  }
  return t;
}

int64_t LayerCost::storedBytes(const EnergyTable &table) const {
  int64_t bias = hasBias ? 4 * channels : 0;
  switch (form) {
  case WeightForm::F32:
    return 4 * weights + bias;
  case WeightForm::Int8:
    return int8Bytes();
  case WeightForm::Ternary:
    return (table.ternaryBase3 ? (weights + 4) / 5 : (weights + 3) / 4) +
           4 * channels + bias;
  }
  llvm_unreachable("unknown WeightForm");
}

int64_t LayerCost::fp16Bytes() const {
  return 2 * weights + (hasBias ? 2 * channels : 0);
}

int64_t LayerCost::int8Bytes() const {
  // One byte per weight, an f32 scale and (if any) an i32 bias per channel.
  return weights + 4 * channels + (hasBias ? 4 * channels : 0);
}

/// Energy of requantizing `outputs` results, if the table charges it.
static double requantizationPj(const EnergyTable &table, int64_t outputs) {
  return table.requantization.empty()
             ? 0
             : double(outputs) * table.get(table.requantization);
}

double LayerCost::energyPj(const EnergyTable &table) const {
  switch (form) {
  case WeightForm::F32:
    return double(macs) * (table.get("fp32_mult") + table.get("fp32_add"));
  case WeightForm::Int8:
    return int8EnergyPj(table);
  case WeightForm::Ternary:
    return double(table.ternaryCountsZeros ? macs : additions) *
               table.get(table.ternaryAdd) +
           requantizationPj(table, outputs);
  }
  llvm_unreachable("unknown WeightForm");
}

double LayerCost::fp16EnergyPj(const EnergyTable &table) const {
  return double(macs) *
         (table.get("fp16_mult") + table.get(table.fp16Accumulate));
}

double LayerCost::int8EnergyPj(const EnergyTable &table) const {
  return double(macs) *
             (table.get("int8_mult") + table.get(table.int8Accumulate)) +
         requantizationPj(table, outputs);
}

std::optional<LayerCost> mlir::prom::computeLayerCost(Operation *op) {
  LayerCost cost;
  if (isa<TernaryConv2DOp>(op))
    cost.form = WeightForm::Ternary;
  else if (isa<Conv2DOp, FullyConnectedOp>(op))
    cost.form = WeightForm::Int8;
  else if (classifyFloatLayer(op))
    cost.form = WeightForm::F32;
  else
    return std::nullopt;
  // Every layer takes its weights as operand 1 and has its output channels
  // last, so MACs = outputs x weights per output channel.
  auto weights = dyn_cast<ShapedType>(op->getOperand(1).getType());
  auto result = dyn_cast<ShapedType>(op->getResult(0).getType());
  if (!weights || !result || !weights.hasStaticShape() ||
      !result.hasStaticShape() || result.getRank() == 0)
    return std::nullopt;
  cost.name = getLayerName(op);
  cost.opName = op->getName().getStringRef().str();
  cost.weights = weights.getNumElements();
  cost.channels = result.getShape().back();
  cost.outputs = result.getNumElements();
  cost.activationBytes =
      cost.outputs * ((result.getElementTypeBitWidth() + 7) / 8);
  cost.macs = cost.outputs * (cost.weights / cost.channels);
  if (auto conv = dyn_cast<Conv2DOp>(op))
    cost.hasBias = bool(conv.getBias());
  else if (auto ternary = dyn_cast<TernaryConv2DOp>(op))
    cost.hasBias = bool(ternary.getBias());
  else if (auto fc = dyn_cast<FullyConnectedOp>(op))
    cost.hasBias = bool(fc.getBias());
  else
    cost.hasBias = isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op);
  cost.nonzeroWeights = cost.weights;
  if (std::optional<SmallVector<int8_t>> w = getInt8Constant(op->getOperand(1)))
    cost.nonzeroWeights = llvm::count_if(*w, [](int8_t v) { return v != 0; });

  int64_t pixels = cost.outputs / cost.channels;
  switch (cost.form) {
  case WeightForm::F32:
  case WeightForm::Int8:
    cost.multiplies = cost.additions = cost.macs;
    break;
  case WeightForm::Ternary:
    cost.multiplies = 0;
    cost.additions = pixels * cost.nonzeroWeights;
    break;
  }
  return cost;
}
