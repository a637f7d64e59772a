// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=ternary-kernel=add --prom-ternary-to-add | FileCheck %s

// Weights that are not constants: the selection gives the reference
// lowering, with the reason, and the add kernel leaves the op alone.
// CHECK-LABEL: func.func @dynamic
// CHECK: prom.ternary_conv2d {{.*}}prom.kernel = #prom.kernel<kind = reference, reason = "weights are not int8 constants">
func.func @dynamic(%x: tensor<1x1x1x4xi8>, %w: tensor<2x1x1x4xi8>) -> tensor<1x1x1x2xi8> {
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.5, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x1x1x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x1x1x2xi8>
  return %y : tensor<1x1x1x2xi8>
}
