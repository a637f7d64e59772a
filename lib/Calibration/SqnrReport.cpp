//===- SqnrReport.cpp - quantized vs float, point by point ----------------===//

#include "SqnrReport.h"

#include "Prom/Calibration/Observer.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/LayerInfo.h"
#include "Prom/Transforms/Passes.h"
#include "Prom/Transforms/QuantizationPoints.h"
#include "Prom/Utils/SignalToNoise.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::prom;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The scale and zero point of the int8 value an op produces.
static std::optional<std::pair<float, int32_t>>
outputQuantization(Operation *op) {
  if (auto q = dyn_cast<QuantizeOp>(op))
    return std::make_pair(q.getScales()[0], q.getZeroPoints()[0]);
  auto scale = op->getAttrOfType<FloatAttr>("output_scale");
  auto zp = op->getAttrOfType<IntegerAttr>("output_zp");
  if (!scale || !zp)
    return std::nullopt;
  return std::make_pair(float(scale.getValueAsDouble()), int32_t(zp.getInt()));
}

/// A copy of `fn`'s module quantized as prom-quantize + prom-qdq-to-integer
/// would; `points[i]` of `fn` is observable as `observed[i]` (dequantized),
/// or null when it has no counterpart (a function argument).
static llvm::Expected<OwningOpRef<ModuleOp>>
quantizeCopy(func::FuncOp fn, ArrayRef<Value> points,
             SmallVector<Value> &observed) {
  MLIRContext *context = fn.getContext();
  IRMapping mapping;
  OwningOpRef<ModuleOp> copy(
      cast<ModuleOp>(fn->getParentOfType<ModuleOp>()->clone(mapping)));
  Builder b(context);
  for (auto [i, point] : llvm::enumerate(points))
    if (Operation *def = mapping.lookup(point).getDefiningOp())
      def->setAttr(kPointAttrName, b.getI64IntegerAttr(i));
  {
    // The user has seen prom-quantize's remarks on the real run, if any.
    ScopedDiagnosticHandler quiet(context, [](Diagnostic &d) {
      return success(d.getSeverity() != DiagnosticSeverity::Error);
    });
    PassManager pm(context, ModuleOp::getOperationName());
    pm.addPass(createPromQuantize());
    pm.addPass(createPromQDQToInteger());
    if (failed(pm.run(*copy)))
      return makeError("quantizing a copy of the module failed");
  }

  observed.assign(points.size(), Value());
  SmallVector<std::pair<Operation *, int64_t>> tagged;
  copy->walk([&](Operation *op) {
    if (auto tag = op->getAttrOfType<IntegerAttr>(kPointAttrName))
      tagged.push_back({op, tag.getInt()});
  });
  OpBuilder builder(context);
  for (auto [op, index] : tagged) {
    Value result = op->getResult(0);
    auto type = cast<RankedTensorType>(result.getType());
    std::optional<std::pair<float, int32_t>> q = outputQuantization(op);
    if (type.getElementType().isInteger(8) && q) {
      builder.setInsertionPointAfter(op);
      observed[index] = DequantizeOp::create(
          builder, op->getLoc(),
          RankedTensorType::get(type.getShape(), builder.getF32Type()), result,
          builder.getDenseF32ArrayAttr({q->first}),
          builder.getDenseI32ArrayAttr({q->second}), nullptr);
    } else if (!observed[index]) {
      observed[index] = result; // left in float
    }
  }
  return copy;
}

namespace {
struct Row {
  std::string what, layer, op;
  size_t floatIndex; // of the value in the float run's outputs
  SignalToNoise sqnr;
};
} // namespace

llvm::Error mlir::prom::writeSqnrReport(func::FuncOp fn, ArrayRef<Value> points,
                                        Observer &floatRun,
                                        ArrayRef<HostTensor> samples,
                                        StringRef path) {
  SmallVector<Value> observed;
  auto quantized = quantizeCopy(fn, points, observed);
  if (!quantized)
    return quantized.takeError();
  auto quantizedFn = (*quantized)->lookupSymbol<func::FuncOp>(fn.getName());

  std::vector<Row> rows;
  SmallVector<Value> quantizedValues;
  for (unsigned r = 0; r < fn.getNumResults(); ++r)
    rows.push_back({"output " + std::to_string(r), "", "func.return", r, {}});
  for (auto [i, point, q] : llvm::enumerate(points, observed)) {
    if (!q)
      continue;
    Operation *def = point.getDefiningOp();
    rows.push_back({"activation",
                    getLayerName(def),
                    def->getName().getStringRef().str(),
                    fn.getNumResults() + i,
                    {}});
    quantizedValues.push_back(q);
  }

  auto quantizedRun = Observer::create(quantizedFn, quantizedValues);
  if (!quantizedRun)
    return quantizedRun.takeError();
  for (const HostTensor &input : samples) {
    auto f = floatRun.run(input);
    if (!f)
      return f.takeError();
    auto q = quantizedRun->run(input);
    if (!q)
      return q.takeError();
    for (auto [row, b] : llvm::zip(rows, *q)) {
      const HostTensor &a = (*f)[row.floatIndex];
      if (a.kind != ElementKind::F32 || b.kind != ElementKind::F32)
        return makeError("SQNR needs f32 results");
      row.sqnr.add(a.as<float>(), b.as<float>());
    }
  }

  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return makeError("cannot write '" + path + "': " + ec.message());
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("function", fn.getName());
    json.attribute("inputs", int64_t(samples.size()));
    json.attributeArray("points", [&] {
      for (const Row &row : rows)
        json.object([&] {
          json.attribute("value", row.what);
          json.attribute("layer", row.layer);
          json.attribute("op", row.op);
          if (row.sqnr.exact())
            json.attribute("sqnr_db", nullptr);
          else
            json.attribute("sqnr_db", row.sqnr.decibels());
        });
    });
  });
  os << "\n";
  return llvm::Error::success();
}
