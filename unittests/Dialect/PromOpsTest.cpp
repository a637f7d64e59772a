//===- PromOpsTest.cpp - prom ops built and verified through the C++ API --===//

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace mlir::prom;

namespace {
class PromOpsTest : public ::testing::Test {
protected:
  PromOpsTest() : builder(&context), loc(builder.getUnknownLoc()) {
    context.loadDialect<PromDialect, arith::ArithDialect, func::FuncDialect>();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    // Collect the verifier's message instead of printing it.
    context.getDiagEngine().registerHandler(
        [this](Diagnostic &diag) { lastError = diag.str(); });
  }

  RankedTensorType i8(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getI8Type());
  }

  /// A function argument of the given type to feed an op under test.
  Value argument(Type type) {
    if (!block) {
      auto fn = func::FuncOp::create(builder, loc, "f",
                                     builder.getFunctionType({}, {}));
      block = fn.addEntryBlock();
      builder.setInsertionPointToStart(block);
    }
    return block->addArgument(type, loc);
  }

  Value constantWeights(ArrayRef<int8_t> values, ArrayRef<int64_t> shape) {
    auto attr = DenseElementsAttr::get(i8(shape), values);
    return arith::ConstantOp::create(builder, loc, attr);
  }

  TernaryConv2DOp ternary(Value weights, int64_t outC) {
    Value x = argument(i8({1, 5, 5, 3}));
    SmallVector<float> scales(outC, 0.5f);
    return TernaryConv2DOp::create(
        builder, loc, i8({1, 5, 5, outC}), x, weights, /*bias=*/Value(),
        builder.getDenseI64ArrayAttr({1, 1}), builder.getF32FloatAttr(0.1f),
        builder.getI32IntegerAttr(-128), builder.getDenseF32ArrayAttr(scales),
        builder.getF32FloatAttr(0.2f), builder.getI32IntegerAttr(0),
        /*clamp=*/DenseI32ArrayAttr());
  }

  MLIRContext context;
  OpBuilder builder;
  Location loc;
  OwningOpRef<ModuleOp> module;
  Block *block = nullptr;
  std::string lastError;
};
} // namespace

TEST_F(PromOpsTest, TernaryConvAcceptsTernaryConstantWeights) {
  Value w = constantWeights({1, 0, -1, -1, 1, 0}, {2, 1, 1, 3});
  TernaryConv2DOp op = ternary(w, 2);
  EXPECT_TRUE(succeeded(verify(op))) << lastError;
}

TEST_F(PromOpsTest, TernaryConvRejectsEveryNonTernaryValue) {
  for (int8_t bad : {int8_t(2), int8_t(-2), int8_t(127), int8_t(-128)}) {
    Value w = constantWeights({1, 0, bad}, {1, 1, 1, 3});
    TernaryConv2DOp op = ternary(w, 1);
    EXPECT_TRUE(failed(verify(op))) << "accepted weight " << int(bad);
    EXPECT_NE(lastError.find("expects weights in {-1, 0, +1}, got " +
                             std::to_string(bad) + " at flat index 2"),
              std::string::npos)
        << lastError;
    op->erase();
  }
}

TEST_F(PromOpsTest, TernaryConvAcceptsRuntimeWeights) {
  // Weights that are not constants cannot be checked; the op is still valid.
  Value w = argument(i8({2, 1, 1, 3}));
  EXPECT_TRUE(succeeded(verify(ternary(w, 2)))) << lastError;
}

TEST_F(PromOpsTest, Conv2DOutputShapeFollowsConvolutionArithmetic) {
  // 7x7 input, 3x3 kernel, stride 2, pad 1 on each side: 4x4 output.
  Value x = argument(i8({1, 7, 7, 4}));
  Value w = argument(i8({8, 3, 3, 4}));
  auto build = [&](int64_t outHW) {
    return Conv2DOp::create(
        builder, loc, i8({1, outHW, outHW, 8}), x, w, Value(),
        builder.getDenseI64ArrayAttr({2, 2}),
        builder.getDenseI64ArrayAttr({1, 1, 1, 1}),
        builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(1),
        builder.getF32FloatAttr(0.1f), builder.getI32IntegerAttr(0),
        builder.getDenseF32ArrayAttr(SmallVector<float>(8, 0.01f)),
        builder.getF32FloatAttr(0.2f), builder.getI32IntegerAttr(0),
        builder.getDenseI32ArrayAttr({0, 127}));
  };
  EXPECT_TRUE(succeeded(verify(build(4)))) << lastError;
  EXPECT_TRUE(failed(verify(build(3))));
  EXPECT_NE(lastError.find("expects output height 4"), std::string::npos)
      << lastError;
}
