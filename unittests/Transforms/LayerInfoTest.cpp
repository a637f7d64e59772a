//===- LayerInfoTest.cpp - layer recognition across dialects --------------===//

#include "Prom/Transforms/LayerInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::prom;

namespace {
class LayerInfoTest : public ::testing::Test {
protected:
  LayerInfoTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, tensor::TensorDialect,
                        tosa::TosaDialect>();
  }

  /// Parses `body` as the body of a function and returns its first op.
  Operation *firstOp(StringRef signature, StringRef body) {
    std::string source =
        ("func.func @f" + signature + " {\n" + body + "\n}").str();
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return nullptr;
    auto fn = cast<func::FuncOp>(module->getBody()->front());
    return &fn.getBody().front().front();
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};
} // namespace

TEST_F(LayerInfoTest, LinalgHwcfPointwiseAndSpatial) {
  const char *sig = "(%x: tensor<1x8x8x4xf32>, %w1: tensor<1x1x4x6xf32>, "
                    "%w3: tensor<3x3x4x6xf32>, %o: tensor<1x8x8x6xf32>, "
                    "%o3: tensor<1x6x6x6xf32>)";
  Operation *pw =
      firstOp(sig, "%0 = linalg.conv_2d_nhwc_hwcf ins(%x, %w1 : "
                   "tensor<1x8x8x4xf32>, tensor<1x1x4x6xf32>) outs(%o "
                   ": tensor<1x8x8x6xf32>) -> tensor<1x8x8x6xf32>\n"
                   "return");
  ASSERT_TRUE(pw);
  EXPECT_EQ(classifyFloatLayer(pw), LayerKind::PointwiseConv);

  Operation *conv =
      firstOp(sig, "%0 = linalg.conv_2d_nhwc_hwcf ins(%x, %w3 : "
                   "tensor<1x8x8x4xf32>, tensor<3x3x4x6xf32>) outs(%o3 "
                   ": tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>\n"
                   "return");
  ASSERT_TRUE(conv);
  EXPECT_EQ(classifyFloatLayer(conv), LayerKind::Conv);
}

TEST_F(LayerInfoTest, NonLayersAreNotClassified) {
  Operation *add = firstOp("(%a: tensor<4xf32>)",
                           "%0 = arith.addf %a, %a : tensor<4xf32>\nreturn");
  ASSERT_TRUE(add);
  EXPECT_EQ(classifyFloatLayer(add), std::nullopt);
}

TEST_F(LayerInfoTest, LayerNameComesFromTheLocation) {
  Operation *named = firstOp(
      "(%a: tensor<4xf32>)",
      "%0 = arith.addf %a, %a : tensor<4xf32> loc(fused[\"x.mlir\":1:1, "
      "\"features.3.conv.1\"])\nreturn");
  ASSERT_TRUE(named);
  EXPECT_EQ(getLayerName(named), "features.3.conv.1");

  Operation *unnamed =
      firstOp("(%a: tensor<4xf32>)", "%0 = arith.addf %a, %a : tensor<4xf32>\n"
                                     "return");
  ASSERT_TRUE(unnamed);
  EXPECT_EQ(getLayerName(unnamed), "");
}
