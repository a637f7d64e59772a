// RUN: prom-opt %s --prom-ternary-to-add | FileCheck %s

// Weights that are not constants are left for the reference lowering.
// CHECK-LABEL: func.func @dynamic
// CHECK: prom.ternary_conv2d
func.func @dynamic(%x: tensor<1x1x1x4xi8>, %w: tensor<2x1x1x4xi8>) -> tensor<1x1x1x2xi8> {
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.5, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x1x1x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x1x1x2xi8>
  return %y : tensor<1x1x1x2xi8>
}
