// Invalid input gets a diagnostic with its location and a non-zero exit.
// RUN: not prom-opt %s 2>&1 | FileCheck %s
// CHECK: invalid-input.mlir:[[@LINE+3]]:8: error: 'prom.ternary_conv2d' op expects weights in {-1, 0, +1}, got 3 at flat index 0
func.func @f(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8> {
  %w = arith.constant dense<3> : tensor<1x1x1x1xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0] output(1.0, 0) : (tensor<1x2x2x1xi8>, tensor<1x1x1x1xi8>) -> tensor<1x2x2x1xi8>
  return %y : tensor<1x2x2x1xi8>
}
