// RUN: prom-opt %s --prom-merged-conv-vector | FileCheck %s

// A kernel given by hand: prom-select-kernels keeps it, and the kernel pass
// follows it. Without an isa, i16 operands take the portable form: each
// step widens one channel to i32 (no x86 instruction).
// CHECK-LABEL: func.func @merged_i16
// CHECK:       scf.for %{{.*}} step %c6
// CHECK:       arith.extsi %{{.*}} : vector<16xi16> to vector<16xi32>
// CHECK:       arith.extsi %{{.*}} : i16 to i32
// CHECK-NOT:   prom_x86.dot
// CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
func.func @merged_i16(%x: tensor<1x6x6x?xi16>, %w: tensor<3x3x?x20xi16>, %init: tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, prom.kernel = #prom.kernel<kind = merged_conv_vector, lanes = 16, tile_pixels = 6, tile_blocks = 2>} ins(%x, %w : tensor<1x6x6x?xi16>, tensor<3x3x?x20xi16>) outs(%init : tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32>
  return %y : tensor<1x4x4x20xi32>
}

// A conv without a kernel is not this pass's.
// CHECK-LABEL: func.func @unselected
// CHECK:       linalg.conv_2d_nhwc_hwcf
func.func @unselected(%x: tensor<1x6x6x?xi16>, %w: tensor<3x3x?x20xi16>, %init: tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x6x6x?xi16>, tensor<3x3x?x20xi16>) outs(%init : tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32>
  return %y : tensor<1x4x4x20xi32>
}
