//===- TernarySensitivity.cpp - what ternary weights cost each layer ------===//

#include "Prom/Calibration/Passes.h"

#include "CalibrationInputs.h"

#include "Prom/Calibration/Observer.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/LayerInfo.h"
#include "Prom/Utils/SignalToNoise.h"
#include "Prom/Utils/WeightQuantization.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"

#include <cmath>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMTERNARYSENSITIVITY
#include "Prom/Calibration/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

/// The largest SQNR recorded (an exact twin would be infinite).
static constexpr double kMaxSqnrDb = 200.0;

/// Float weights after TWN ternarization (q * scale), OHWI per channel.
static SmallVector<float> ternarized(ArrayRef<float> weights,
                                     int64_t channels) {
  int64_t perChannel = weights.size() / channels;
  auto channelOf = [&](int64_t i) { return i / perChannel; };
  return dequantizeWeights(ternarizeWeights(weights, channels, channelOf),
                           channelOf);
}

namespace {
struct TernarySensitivityPass
    : prom::impl::PromTernarySensitivityBase<TernarySensitivityPass> {
  using Base::Base;

  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (!fn.isPublic() || fn.isExternal())
        continue;
      SmallVector<tosa::Conv2DOp> layers;
      fn.walk([&](tosa::Conv2DOp conv) {
        if (classifyFloatLayer(conv) == LayerKind::PointwiseConv &&
            getFloatConstant(conv.getWeight()))
          layers.push_back(conv);
      });
      if (!layers.empty() && failed(measure(fn, layers)))
        return signalPassFailure();
    }
  }

  LogicalResult measure(func::FuncOp fn, ArrayRef<tosa::Conv2DOp> layers) {
    FailureOr<std::vector<HostTensor>> dataset = getCalibrationInputs(
        fn, inputs, samples, seed, "prom-ternary-sensitivity");
    if (failed(dataset))
      return failure();

    // A scratch copy where each layer has a ternary twin on the same input.
    IRMapping mapping;
    OwningOpRef<ModuleOp> scratch(
        cast<ModuleOp>(getOperation()->clone(mapping)));
    SmallVector<Value> observed; // layer, twin, layer, twin, ...
    for (tosa::Conv2DOp layer : layers) {
      auto copy =
          mapping.lookup(layer.getOutput()).getDefiningOp<tosa::Conv2DOp>();
      auto type = cast<RankedTensorType>(layer.getWeight().getType());
      SmallVector<float> weights =
          ternarized(*getFloatConstant(layer.getWeight()), type.getDimSize(0));
      OpBuilder b(copy);
      Value w = tosa::ConstOp::create(
          b, copy.getLoc(), type,
          DenseElementsAttr::get(type, ArrayRef<float>(weights)));
      Operation *twin = b.clone(*copy);
      twin->setOperand(1, w);
      observed.push_back(layer.getOutput());
      observed.push_back(twin->getResult(0));
    }
    // Observer maps `observed` through another copy: give it the scratch
    // function and the scratch values.
    auto scratchFn = scratch->lookupSymbol<func::FuncOp>(fn.getName());
    for (size_t i = 0; i < observed.size(); i += 2)
      observed[i] = mapping.lookup(observed[i]);
    llvm::Expected<Observer> observer = Observer::create(scratchFn, observed);
    if (!observer)
      return fn.emitError() << "prom-ternary-sensitivity: "
                            << llvm::toString(observer.takeError());

    SmallVector<SignalToNoise> sqnr(layers.size());
    for (const HostTensor &input : *dataset) {
      auto values = observer->run(input);
      if (!values)
        return fn.emitError() << "prom-ternary-sensitivity: "
                              << llvm::toString(values.takeError());
      unsigned base = observer->getNumResults();
      for (size_t l = 0; l < layers.size(); ++l)
        sqnr[l].add((*values)[base + 2 * l].as<float>(),
                    (*values)[base + 2 * l + 1].as<float>());
    }
    for (auto [l, layer] : llvm::enumerate(layers)) {
      double db = sqnr[l].decibels(); // +inf when exact, then capped
      Operation *op = layer;
      op->setAttr(kTernarySqnrAttrName,
                  FloatAttr::get(Float32Type::get(&getContext()),
                                 std::min(db, kMaxSqnrDb)));
    }
    return success();
  }
};
} // namespace
