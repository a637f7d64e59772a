// An op the reference lowering cannot handle is an error that names it; the
// pass fails and prom-opt exits non-zero.
// RUN: not prom-opt %s --convert-prom-to-linalg 2>&1 | FileCheck %s
// CHECK: unsupported.mlir:[[@LINE+3]]:8: error: 'prom.conv2d' op cannot be lowered by convert-prom-to-linalg: dynamic channels or weights are not supported
// CHECK: error: failed to legalize operation 'prom.conv2d'
func.func @dynamic_conv(%x: tensor<1x4x4x3xi8>, %w: tensor<?x1x1x3xi8>) -> tensor<1x4x4x2xi8> {
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0)
         : (tensor<1x4x4x3xi8>, tensor<?x1x1x3xi8>) -> tensor<1x4x4x2xi8>
  return %y : tensor<1x4x4x2xi8>
}
