// RUN: not prom-opt %s --prom-pointwise-dot 2>&1 >/dev/null | FileCheck %s

// A recorded form that is not exact for the op is an error, not another
// form: the high word needs scales below 1/4.
// CHECK: [[@LINE+3]]:8: error: prom-pointwise-dot: the selected kernel pointwise_dot does not apply to this op
func.func @inexact(%x: tensor<1x4x4x64xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<3> : tensor<16x1x1x64xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 3) weight_scales [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] output(1.0, -2) {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = high_word>} : (tensor<1x4x4x64xi8>, tensor<16x1x1x64xi8>) -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}
