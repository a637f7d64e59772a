// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-float-conv-vector | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels --prom-float-conv-vector | FileCheck %s --check-prefix=AVX2

// A 1x1 convolution: weights packed [2 blocks][5 steps][16 lanes], the
// bias padded to 32; a tile of 6 pixels (of 4: one tile of 4) x 2 blocks,
// each step a broadcast per pixel, then a multiply and a separate add per
// accumulator (the reference's two roundings, no fma).
// CHECK-LABEL: func.func @pointwise
// CHECK-DAG:   arith.constant dense<{{.*}}> : tensor<2x5x16xf32>
// CHECK-DAG:   arith.constant dense<{{.*}}> : tensor<32xf32>
// CHECK:       tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x2x2x5xf32> into tensor<4x5xf32>
// CHECK:       scf.for %{{.*}} = %c0 to %c5 step %c1 iter_args
// CHECK-COUNT-4: vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK:       arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NEXT:  arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:   vector.fma
// CHECK:       scf.yield
// 20 channels: the second block is stored masked.
// CHECK:       vector.transfer_write {{.*}} : vector<16xf32>, tensor<4x20xf32>
// CHECK-NOT:   tosa.conv2d
// AVX2-LABEL: func.func @pointwise
// AVX2:       tensor<3x5x8xf32>
// AVX2:       arith.mulf %{{.*}}, %{{.*}} : vector<8xf32>
func.func @pointwise(%x: tensor<1x2x2x5xf32>) -> tensor<1x2x2x20xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<20x1x1x5xf32>} : () -> tensor<20x1x1x5xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<20xf32>} : () -> tensor<20xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x5xf32>, tensor<20x1x1x5xf32>, tensor<20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x20xf32>
  return %y : tensor<1x2x2x20xf32>
}

// A 3x3 window with padding reads the input padded with 0.0 in place (no
// im2col copy): step (i, j, c) of a pixel reads its window's origin plus
// (i * 5 + j) * 2 + c in the flattened 5x5x2 padded input; 18 steps.
// Weights from a prom.dequantize of int8 constants (a QDQ model) are known
// at compile time: q = [2, -4] per channel, scales [0.5, 0.25], zero
// points [0, 1]: channel 0 = 1.0, -2.0; channel 1 = 0.25, -1.25.
// CHECK-LABEL: func.func @window_dequantized
// (printed as hex: 1.0 = 0x3F800000, 0.25 = 0x3E800000, -2.0 =
// 0xC0000000, -1.25 = 0xBFA00000, little-endian).
// CHECK-DAG:   arith.constant dense<"0x0000803F0000803E{{0+}}000000C00000A0BF{{[0-9A-F]+}}"> : tensor<1x18x16xf32>
// CHECK-DAG:   %[[OFFSETS:.+]] = arith.constant dense<[0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25]> : tensor<18xindex>
// CHECK:       tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:       %[[FLAT:.+]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<1x5x5x2xf32> into tensor<50xf32>
// CHECK-NOT:   tensor<1x3x3x3x3x2xf32>
// CHECK:       scf.for %[[STEP:.+]] = %c0 to %c18 step %c1 iter_args
// CHECK:       %[[OFFSET:.+]] = tensor.extract %[[OFFSETS]][%[[STEP]]]
// CHECK:       %[[AT:.+]] = arith.addi %{{.*}}, %[[OFFSET]] : index
// CHECK:       tensor.extract %[[FLAT]][%[[AT]]] : tensor<50xf32>
// CHECK-NOT:   tosa.conv2d
func.func @window_dequantized(%x: tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32> {
  %q = "tosa.const"() {values = dense<[[[[2, -4], [2, -4], [2, -4]], [[2, -4], [2, -4], [2, -4]], [[2, -4], [2, -4], [2, -4]]], [[[2, -4], [2, -4], [2, -4]], [[2, -4], [2, -4], [2, -4]], [[2, -4], [2, -4], [2, -4]]]]> : tensor<2x3x3x2xi8>} : () -> tensor<2x3x3x2xi8>
  %w = prom.dequantize %q scales [0.5, 0.25] zero_points [0, 1] axis 0 : tensor<2x3x3x2xi8> -> tensor<2x3x3x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// Not taken: weights only known at run time.
// CHECK-LABEL: func.func @runtime_weights
// CHECK:       tosa.conv2d
func.func @runtime_weights(%x: tensor<1x2x2x4xf32>, %w: tensor<4x1x1x4xf32>) -> tensor<1x2x2x4xf32> {
  %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

