//===- TabulateElementwise.cpp - unary float chains as int8 tables --------===//
//
// quantize(f(dequantize(x))) for an elementwise f of one per-tensor
// quantized i8 value (hardswish, hardsigmoid, a clamp...) has only 256
// possible results: prom.table holds them, computed here with the same
// IEEE f32 operations, in the same order, as the reference lowering of the
// chain, so that the table gives the same bytes.
//
//===----------------------------------------------------------------------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMTABULATEELEMENTWISE
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

using llvm::APFloat;

/// A splat f32 constant's value.
std::optional<APFloat> splatF32(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !attr.getElementType().isF32())
    return std::nullopt;
  return attr.getSplatValue<APFloat>();
}

/// f(dequantize(x)): the dequantize and the ops of f in program order.
struct Chain {
  DequantizeOp dequantize;
  SmallVector<Operation *> ops;
};

/// The chain that computes `root`, or nothing when some op on the way is
/// not an f32 elementwise op the table can evaluate exactly, changes the
/// shape, or reads a value that is neither in the chain nor a splat
/// constant, or when the chain reads other than one dequantize.
std::optional<Chain> findChain(Value root) {
  Chain chain;
  llvm::SetVector<Operation *> ops;
  SmallVector<Value> work{root};
  while (!work.empty()) {
    Value value = work.pop_back_val();
    if (splatF32(value))
      continue;
    if (auto dequantize = value.getDefiningOp<DequantizeOp>()) {
      if (chain.dequantize && chain.dequantize != dequantize)
        return std::nullopt;
      chain.dequantize = dequantize;
      continue;
    }
    Operation *op = value.getDefiningOp();
    if (!op || value.getType() != root.getType())
      return std::nullopt;
    if (ops.contains(op))
      continue;
    if (auto mul = dyn_cast<tosa::MulOp>(op)) {
      // The shift is for integer multiplies only.
      work.append({mul.getInput1(), mul.getInput2()});
    } else if (isa<tosa::AddOp, tosa::SubOp, tosa::MaximumOp, tosa::MinimumOp>(
                   op)) {
      work.append({op->getOperand(0), op->getOperand(1)});
    } else if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
      if (!isa<FloatAttr>(clamp.getMinValAttr()) ||
          !isa<FloatAttr>(clamp.getMaxValAttr()))
        return std::nullopt;
      work.push_back(clamp.getInput());
    } else {
      return std::nullopt;
    }
    ops.insert(op);
  }
  if (!chain.dequantize ||
      chain.dequantize.getOutput().getType() != root.getType() ||
      llvm::any_of(ops, [&](Operation *op) {
        return op->getBlock() != chain.dequantize->getBlock();
      }))
    return std::nullopt;
  chain.ops = ops.takeVector();
  llvm::sort(chain.ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return chain;
}

/// The chain's value for one input, as the reference lowering computes it
/// (f32, round to nearest even), or nothing if it is not finite.
std::optional<APFloat> evaluate(const Chain &chain, Value root, int32_t input) {
  const APFloat::roundingMode even = APFloat::rmNearestTiesToEven;
  DequantizeOp dequantize = chain.dequantize;
  DenseMap<Value, APFloat> values;
  // (x - zp) in i32, to f32, times the scale.
  APFloat x(float(input - dequantize.getZeroPoints()[0]));
  x.multiply(APFloat(dequantize.getScales()[0]), even);
  values.try_emplace(dequantize.getOutput(), x);
  auto get = [&](Value v) {
    if (std::optional<APFloat> c = splatF32(v))
      return *c;
    return values.find(v)->second;
  };
  for (Operation *op : chain.ops) {
    std::optional<APFloat> result;
    if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
      result = llvm::minimum(
          llvm::maximum(get(clamp.getInput()),
                        cast<FloatAttr>(clamp.getMinValAttr()).getValue()),
          cast<FloatAttr>(clamp.getMaxValAttr()).getValue());
    } else {
      APFloat lhs = get(op->getOperand(0)), rhs = get(op->getOperand(1));
      if (isa<tosa::MaximumOp>(op)) {
        result = llvm::maximum(lhs, rhs);
      } else if (isa<tosa::MinimumOp>(op)) {
        result = llvm::minimum(lhs, rhs);
      } else {
        if (isa<tosa::MulOp>(op))
          lhs.multiply(rhs, even);
        else if (isa<tosa::AddOp>(op))
          lhs.add(rhs, even);
        else
          lhs.subtract(rhs, even);
        result = lhs;
      }
    }
    if (!result->isFinite())
      return std::nullopt;
    values.insert_or_assign(op->getResult(0), *result);
  }
  return get(root);
}

/// prom.quantize's reference: round-even(y / scale) + zp, clamped to i8.
int8_t quantizeValue(APFloat y, float scale, int32_t zp) {
  const APFloat::roundingMode even = APFloat::rmNearestTiesToEven;
  y.divide(APFloat(scale), even);
  y.roundToIntegral(even);
  y.add(APFloat(float(zp)), even);
  float clamped = std::min(std::max(y.convertToFloat(), -128.0f), 127.0f);
  return static_cast<int8_t>(clamped);
}

/// Replaces `quantize` by a prom.table when its input is such a chain.
void tabulate(QuantizeOp quantize) {
  if (quantize.getScales().size() != 1)
    return;
  std::optional<Chain> chain = findChain(quantize.getInput());
  if (!chain || chain->ops.empty() ||
      chain->dequantize.getScales().size() != 1 ||
      chain->dequantize.getInput().getType() != quantize.getOutput().getType())
    return;
  SmallVector<int8_t> table;
  for (int32_t input = -128; input <= 127; ++input) {
    std::optional<APFloat> y = evaluate(*chain, quantize.getInput(), input);
    if (!y)
      return;
    table.push_back(quantizeValue(*y, quantize.getScales()[0],
                                  quantize.getZeroPoints()[0]));
  }
  OpBuilder b(quantize);
  auto result =
      TableOp::create(b, quantize.getLoc(), quantize.getOutput().getType(),
                      chain->dequantize.getInput(), table);
  quantize.getOutput().replaceAllUsesWith(result.getOutput());
  quantize.erase();
  // The float chain, where nothing else reads it.
  for (Operation *op : llvm::reverse(chain->ops))
    if (op->use_empty())
      op->erase();
  if (chain->dequantize->use_empty())
    chain->dequantize->erase();
}

struct TabulateElementwisePass
    : prom::impl::PromTabulateElementwiseBase<TabulateElementwisePass> {
  void runOnOperation() override {
    SmallVector<QuantizeOp> quantizes;
    getOperation()->walk([&](QuantizeOp op) { quantizes.push_back(op); });
    for (QuantizeOp op : quantizes)
      tabulate(op);
  }
};

} // namespace
