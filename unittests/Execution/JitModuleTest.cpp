//===- JitModuleTest.cpp - JitModule passes its callers' buffers as-is ----===//
//
// JitModule::call hands compiled code the caller's input bytes without a
// copy; that is right only because compiled functions never write into
// their arguments (prom-emit-c-interface marks them read-only). A function
// that updates its argument in place must leave the input as it was, and
// one that returns its argument must not have it freed.
//
//===----------------------------------------------------------------------===//

#include "Prom/Execution/JitModule.h"
#include "Prom/Registration/Registration.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::prom;

namespace {

const char *kSource = R"mlir(
#map = affine_map<(d0) -> (d0)>
func.func @add_one_in_place(%x: tensor<6xi32>) -> tensor<6xi32> {
  %one = arith.constant 1 : i32
  %y = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel"]}
      outs(%x : tensor<6xi32>) {
  ^bb0(%v: i32):
    %s = arith.addi %v, %one : i32
    linalg.yield %s : i32
  } -> tensor<6xi32>
  return %y : tensor<6xi32>
}
func.func @identity(%x: tensor<6xi32>) -> tensor<6xi32> {
  return %x : tensor<6xi32>
}
)mlir";

TEST(JitModuleTest, InputsAreOnlyRead) {
  DialectRegistry registry;
  registry
      .insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect>();
  registerPromDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kSource, &context);
  ASSERT_TRUE(module);
  auto jit = JitModule::compile(*module);
  ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());

  std::vector<int32_t> values = {-3, 0, 7, 41, -100, 5};
  HostTensor input =
      HostTensor::from(ElementKind::I32, {6}, llvm::ArrayRef<int32_t>(values));
  for (int call = 0; call < 3; ++call) {
    auto result = (*jit)->call("add_one_in_place", input);
    ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
    for (size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ((*result)[0].as<int32_t>()[i], values[i] + 1);
      EXPECT_EQ(input.as<int32_t>()[i], values[i]) << "input changed";
    }
  }
  // The result is the input buffer itself: copied out, not freed.
  for (bool keep : {true, false}) {
    auto result = (*jit)->call("identity", input, keep);
    ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
    if (keep)
      EXPECT_EQ((*result)[0].bytes, input.bytes);
  }
  EXPECT_EQ(input.as<int32_t>()[3], 41);
}

} // namespace
