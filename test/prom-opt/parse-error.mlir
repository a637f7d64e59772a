// A syntax error is reported with its location; prom-opt exits non-zero.
// RUN: not prom-opt %s 2>&1 | FileCheck %s
// CHECK: parse-error.mlir:[[@LINE+2]]:{{[0-9]+}}: error: custom op 'prom.quantize' expected 'zero_points'
func.func @f(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = prom.quantize %x scales [0.5] : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}
