//===- AddVector.cpp - int8 residual adds over i32 vectors ----------------===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <numeric>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMADDVECTOR
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

struct AddToVector : LoweringPattern<AddOp> {
  using LoweringPattern::LoweringPattern;

  FailureOr<Value> lower(ImplicitLocOpBuilder &b, AddOp op) const override {
    KernelAttr kernel = getKernel(op, KernelKind::AddVector);
    auto type = dyn_cast<RankedTensorType>(op.getOutput().getType());
    if (!kernel || !type || !type.hasStaticShape())
      return failure();
    int64_t lanes = kernel.getLanes(), total = type.getNumElements();
    std::optional<NarrowAddForm> form = narrowAddForm(op);
    if (total < lanes || !form)
      return failure();

    auto i32s = VectorType::get({lanes}, b.getI32Type());
    auto splat = [&](int32_t v) -> Value {
      return arith::ConstantOp::create(
          b, DenseElementsAttr::get(i32s, b.getI32IntegerAttr(v)));
    };
    Value lhsM = splat(form->lhsMultiplier), rhsM = splat(form->rhsMultiplier);
    Value addend = splat(form->addend), shift = splat(form->shift);
    std::pair<int32_t, int32_t> clamp = op.getClampBounds();
    return mapFlatVectors(
        b, ValueRange{op.getLhs(), op.getRhs()}, lanes, b.getI8Type(),
        [&](ImplicitLocOpBuilder &lb, ValueRange xs) -> Value {
          auto term = [&](Value x, Value m) -> Value {
            return arith::MulIOp::create(
                lb, arith::ExtSIOp::create(lb, i32s, x), m);
          };
          Value sum =
              arith::AddIOp::create(lb, term(xs[0], lhsM), term(xs[1], rhsM));
          Value scaled = arith::ShRSIOp::create(
              lb, arith::AddIOp::create(lb, sum, addend), shift);
          return addZeroPointAndClamp(lb, scaled, 0, clamp.first, clamp.second);
        });
  }
};

struct AddVectorPass : prom::impl::PromAddVectorBase<AddVectorPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AddToVector>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::AddVector, "prom-add-vector")))
      signalPassFailure();
  }
};

} // namespace
