//===- X86DotToLLVM.cpp - prom's x86 vector ops to LLVM intrinsic calls ---===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_CONVERTPROMX86TOLLVM
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

/// vpdpbusd accumulates itself; the other two are followed by an add.
struct X86DotToIntrinsic : OpRewritePattern<x86::DotOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(x86::DotOp op,
                                PatternRewriter &rewriter) const override {
    StringAttr name = rewriter.getStringAttr(op.getIntrinsicName());
    Type type = op.getResult().getType();
    if (op.getKind() == x86::DotKind::Vpdpbusd) {
      rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
          op, type, name, ValueRange{op.getAcc(), op.getA(), op.getB()});
      return success();
    }
    Value dot = LLVM::CallIntrinsicOp::create(rewriter, op.getLoc(), type, name,
                                              ValueRange{op.getA(), op.getB()})
                    ->getResult(0);
    rewriter.replaceOpWithNewOp<arith::AddIOp>(op, op.getAcc(), dot);
    return success();
  }
};

struct X86Vpermi2bToIntrinsic : OpRewritePattern<x86::Vpermi2bOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(x86::Vpermi2bOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, op.getType(),
        rewriter.getStringAttr("llvm.x86.avx512.vpermi2var.qi.512"),
        ValueRange{op.getA(), op.getIndices(), op.getB()});
    return success();
  }
};

struct ConvertPromX86ToLLVM
    : prom::impl::ConvertPromX86ToLLVMBase<ConvertPromX86ToLLVM> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<X86DotToIntrinsic, X86Vpermi2bToIntrinsic>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
