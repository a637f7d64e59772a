// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels="tile-pixels=2 tile-blocks=1 chunk-bytes=64" --prom-pointwise-dot | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels="tile-pixels=2 tile-blocks=1" --prom-pointwise-dot | FileCheck %s --check-prefix=WHOLE
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels="chunk-bytes=0" 2>&1 | FileCheck %s --check-prefix=BAD

// 16 pixels of 8 channels: chunks of 64 bytes of u are 8 pixels, so two
// chunks, each flipped (one 64-byte vector) and then covered by 4 tiles of
// 2 pixels; the outputs go to the chunk's pixels.
// CHECK-LABEL: func.func @two_chunks
// CHECK:       scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args
// CHECK:       %[[AT:.*]] = arith.minsi
// CHECK:       tensor.extract_slice %{{.*}}[%[[AT]], 0] [8, 8] [1, 1] : tensor<16x8xi8> to tensor<8x8xi8>
// CHECK:       arith.xori %{{.*}} : vector<64xi8>
// CHECK:       scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args
// CHECK:       prom_x86.dot vpmaddubsw
// CHECK:       arith.addi %[[AT]],
// CHECK:       vector.transfer_write {{.*}} : vector<8xi8>, tensor<16x8xi8>
// By default the 128 bytes are one chunk.
// WHOLE-LABEL: func.func @two_chunks
// WHOLE:       tensor.extract_slice %{{.*}}[%{{.*}}, 0] [16, 8] [1, 1]
// WHOLE:       arith.xori %{{.*}} : vector<64xi8>
// WHOLE:       scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args
// BAD: error: prom-select-kernels: chunk-bytes and add-lanes must be positive
func.func @two_chunks(%x: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8> {
  %w = arith.constant dense<[[[[1, 0, -1, 1, 0, 0, 1, -1]]], [[[0, 1, 1, 0, -1, 0, 0, 1]]], [[[1, 1, 1, 1, 1, 1, 1, 1]]], [[[-1, -1, -1, -1, -1, -1, -1, -1]]], [[[0, 0, 0, 0, 0, 0, 0, 0]]], [[[1, -1, 1, -1, 1, -1, 1, -1]]], [[[0, 1, 0, 1, 0, 1, 0, 1]]], [[[-1, 0, 0, 0, 0, 0, 0, 1]]]]> : tensor<8x1x1x8xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.05, -3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 2) : (tensor<1x4x4x8xi8>, tensor<8x1x1x8xi8>) -> tensor<1x4x4x8xi8>
  return %y : tensor<1x4x4x8xi8>
}
