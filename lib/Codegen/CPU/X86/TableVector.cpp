//===- TableVector.cpp - int8 table lookups as vpermi2b ------------------===//
//
// prom.table on 64 bytes at a time: vpermi2b looks up 64 indices in 128
// table bytes, so two of them cover the 256 entries, one for the negative
// inputs (entries 0-127: x + 128 = x & 127) and one for the others
// (entries 128-255: x + 128 = 128 + (x & 127)); the input's sign picks.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMTABLEVECTOR
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

constexpr int64_t kBytes = 64;

struct TableToVector : LoweringPattern<TableOp> {
  using LoweringPattern::LoweringPattern;

  FailureOr<Value> lower(ImplicitLocOpBuilder &b, TableOp op) const override {
    KernelAttr kernel = getKernel(op, KernelKind::TableVector);
    auto type = dyn_cast<RankedTensorType>(op.getOutput().getType());
    if (!kernel || kernel.getLanes() != kBytes || !type ||
        !type.hasStaticShape() || type.getRank() == 0)
      return failure();
    auto vector = VectorType::get({kBytes}, b.getI8Type());
    ArrayRef<int8_t> table = op.getTable();
    SmallVector<Value> quarters;
    for (int64_t q = 0; q < 4; ++q)
      quarters.push_back(arith::ConstantOp::create(
          b,
          DenseIntElementsAttr::get(vector, table.slice(q * kBytes, kBytes))));
    Value zeros = arith::ConstantOp::create(b, b.getZeroAttr(vector));
    return mapFlatVectors(
        b, op.getInput(), kBytes, b.getI8Type(),
        [&](ImplicitLocOpBuilder &lb, Value x) -> Value {
          Value low = x86::Vpermi2bOp::create(lb, quarters[0], x, quarters[1]);
          Value high = x86::Vpermi2bOp::create(lb, quarters[2], x, quarters[3]);
          Value negative =
              arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, x, zeros);
          return arith::SelectOp::create(lb, negative, low, high);
        });
  }
};

struct TableVectorPass : prom::impl::PromTableVectorBase<TableVectorPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TableToVector>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::TableVector,
                                   "prom-table-vector")))
      signalPassFailure();
  }
};

} // namespace
