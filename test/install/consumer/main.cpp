// Uses an installed prom: registers its dialect and passes, parses and
// verifies prom IR, rejects invalid prom IR, and runs a prom pass.

#include "Prom/Registration/Registration.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

static const char *kValid = R"mlir(
func.func @pw(%x: tensor<1x4x4x3xi8>) -> tensor<1x4x4x2xi8> {
  %w = arith.constant dense<[[[[1, 0, -1]]], [[[0, 1, 1]]]]> : tensor<2x1x1x3xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.5, 0)
         weight_scales [0.25, 0.125] output(1.0, 0)
         : (tensor<1x4x4x3xi8>, tensor<2x1x1x3xi8>) -> tensor<1x4x4x2xi8>
  return %y : tensor<1x4x4x2xi8>
}
)mlir";

static const char *kNotTernary = R"mlir(
func.func @pw(%x: tensor<1x4x4x3xi8>) -> tensor<1x4x4x1xi8> {
  %w = arith.constant dense<[[[[1, 2, -1]]]]> : tensor<1x1x1x3xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.5, 0)
         weight_scales [0.25] output(1.0, 0)
         : (tensor<1x4x4x3xi8>, tensor<1x1x1x3xi8>) -> tensor<1x4x4x1xi8>
  return %y : tensor<1x4x4x1xi8>
}
)mlir";

static const char *kFloatConv = R"mlir(
func.func @f(%x: tensor<1x4x4x3xf32>, %w: tensor<2x1x1x3xf32>,
             %b: tensor<2xf32>) -> tensor<1x4x4x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  registry.insert<mlir::func::FuncDialect, mlir::arith::ArithDialect,
                  mlir::tosa::TosaDialect>();
  mlir::prom::registerPromDialects(registry);
  mlir::prom::registerPromPasses();
  mlir::MLIRContext context(registry);

  auto valid = mlir::parseSourceString<mlir::ModuleOp>(kValid, &context);
  if (!valid || mlir::failed(mlir::verify(*valid))) {
    llvm::errs() << "FAIL: valid prom IR was rejected\n";
    return 1;
  }

  // The diagnostic is expected; keep it off the terminal.
  context.getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  if (mlir::parseSourceString<mlir::ModuleOp>(kNotTernary, &context)) {
    llvm::errs() << "FAIL: a weight of 2 passed the ternary verifier\n";
    return 1;
  }

  auto floatConv =
      mlir::parseSourceString<mlir::ModuleOp>(kFloatConv, &context);
  mlir::PassManager pm(&context);
  if (!floatConv ||
      mlir::failed(mlir::parsePassPipeline("prom-assign-bitwidths", pm)) ||
      mlir::failed(pm.run(*floatConv))) {
    llvm::errs() << "FAIL: prom-assign-bitwidths did not run\n";
    return 1;
  }
  std::string printed;
  llvm::raw_string_ostream os(printed);
  floatConv->print(os);
  if (printed.find("prom.bitwidth = #prom.bitwidth<ternary>") ==
      std::string::npos) {
    llvm::errs() << "FAIL: the 1x1 conv did not get a ternary plan:\n"
                 << printed;
    return 1;
  }
  llvm::outs() << "prom-consumer: parsed, verified, rejected and planned as "
                  "expected\n";
  return 0;
}
