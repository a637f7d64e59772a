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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <numeric>

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
    int64_t n = type.getNumElements();
    Type i8 = b.getI8Type();
    auto vector = VectorType::get({kBytes}, i8);

    ReassociationIndices all(type.getRank());
    std::iota(all.begin(), all.end(), 0);
    Value flat = tensor::CollapseShapeOp::create(
        b, op.getInput(), ArrayRef<ReassociationIndices>{all});
    ArrayRef<int8_t> table = op.getTable();
    SmallVector<Value> quarters;
    for (int64_t q = 0; q < 4; ++q)
      quarters.push_back(arith::ConstantOp::create(
          b,
          DenseIntElementsAttr::get(vector, table.slice(q * kBytes, kBytes))));
    Value zeros = arith::ConstantOp::create(b, b.getZeroAttr(vector));
    auto lookUp = [&](ImplicitLocOpBuilder &lb, Value x) -> Value {
      Value low = X86Vpermi2bOp::create(lb, quarters[0], x, quarters[1]);
      Value high = X86Vpermi2bOp::create(lb, quarters[2], x, quarters[3]);
      Value negative =
          arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, x, zeros);
      return arith::SelectOp::create(lb, negative, low, high);
    };

    Value out = tensor::EmptyOp::create(b, {n}, i8);
    if (n >= kBytes) {
      // The last vector overlaps its neighbour: it stores the same bytes
      // again.
      out = emitTileLoop(b, n, kBytes, out,
                         [&](ImplicitLocOpBuilder &lb, Value at, Value into) {
                           Value x = readVector(lb, vector, flat, {at});
                           return vector::TransferWriteOp::create(
                                      lb, lookUp(lb, x), into, ValueRange{at},
                                      ArrayRef<bool>{true})
                               .getResult();
                         });
    } else {
      Value zero = indexConstant(b, 0);
      Value pad = arith::ConstantIntOp::create(b, i8, 0);
      Value x = vector::TransferReadOp::create(b, vector, flat, {zero}, pad,
                                               ArrayRef<bool>{false});
      out = vector::TransferWriteOp::create(b, lookUp(b, x), out, {zero},
                                            ArrayRef<bool>{false})
                .getResult();
    }
    return tensor::ExpandShapeOp::create(b, type, out,
                                         ArrayRef<ReassociationIndices>{all})
        .getResult();
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
