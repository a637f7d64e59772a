// RUN: prom-opt %s --prom-qdq-to-integer --canonicalize -split-input-file | FileCheck %s

// A QDQ conv with ReLU6 becomes one prom.conv2d on the int8 values: the
// input transpose moves onto the i8 tensor, weights go OIHW -> OHWI, the
// bias becomes i32 in units of 0.5 * 0.25, the clamp [0, 6] becomes
// [zp + 0, zp + round(6 / 0.1)] = [-100, -40].
// CHECK-LABEL: func @conv
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense<[8, -4]> : tensor<2xi32>}>
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{.*}}> : tensor<2x1x1x3xi8>}>
// CHECK: %[[Q:.*]] = prom.quantize %arg0
// CHECK: %[[T:.*]] = tosa.transpose %[[Q]] {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x4x4xi8>) -> tensor<1x4x4x3xi8>
// CHECK: %[[Y:.*]] = prom.conv2d %[[T]], %[[W]], %[[B]] stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(5.000000e-01, 3) weight_scales [2.500000e-01, 2.500000e-01] output(1.000000e-01, -100) clamp [-100, -40]
// CHECK-NOT: tosa.conv2d
// CHECK: prom.dequantize %[[Y]]
func.func @conv(%x: tensor<1x3x4x4xf32>) -> tensor<1x4x4x2xf32> {
  %q = prom.quantize %x scales [0.5] zero_points [3] : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xi8>
  %dq = prom.dequantize %q scales [0.5] zero_points [3] : tensor<1x3x4x4xi8> -> tensor<1x3x4x4xf32>
  %t = tosa.transpose %dq {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x4x4x3xf32>
  %wq = "tosa.const"() <{values = dense<[[[[2]], [[0]], [[-3]]], [[[1]], [[5]], [[0]]]]> : tensor<2x3x1x1xi8>}> : () -> tensor<2x3x1x1xi8>
  %wdq = prom.dequantize %wq scales [0.25, 0.25] zero_points [0, 0] axis 0 : tensor<2x3x1x1xi8> -> tensor<2x3x1x1xf32>
  %wt = tosa.transpose %wdq {perms = array<i32: 0, 2, 3, 1>} : (tensor<2x3x1x1xf32>) -> tensor<2x1x1x3xf32>
  %b = "tosa.const"() <{values = dense<[1.0, -0.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %t, %wt, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %yq = prom.quantize %r scales [0.1] zero_points [-100] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  %ydq = prom.dequantize %yq scales [0.1] zero_points [-100] : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xf32>
  return %ydq : tensor<1x4x4x2xf32>
}

// -----

// 1x1 weights all in {-1, 0, +1}: a ternary conv.
// CHECK-LABEL: func @ternary
// CHECK: prom.ternary_conv2d
// CHECK-NOT: tosa.conv2d
func.func @ternary(%xq: tensor<1x4x4x3xi8>) -> tensor<1x4x4x2xi8> {
  %dq = prom.dequantize %xq scales [0.5] zero_points [3] : tensor<1x4x4x3xi8> -> tensor<1x4x4x3xf32>
  %wq = "tosa.const"() <{values = dense<[[[[1]], [[0]], [[-1]]], [[[1]], [[1]], [[0]]]]> : tensor<2x3x1x1xi8>}> : () -> tensor<2x3x1x1xi8>
  %wdq = prom.dequantize %wq scales [0.25, 0.125] zero_points [0, 0] axis 0 : tensor<2x3x1x1xi8> -> tensor<2x3x1x1xf32>
  %wt = tosa.transpose %wdq {perms = array<i32: 0, 2, 3, 1>} : (tensor<2x3x1x1xf32>) -> tensor<2x1x1x3xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %dq, %wt, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %yq = prom.quantize %y scales [0.1] zero_points [0] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  return %yq : tensor<1x4x4x2xi8>
}

// -----

// Float weights: not a QDQ conv, left alone.
// CHECK-LABEL: func @float_weights
// CHECK: tosa.conv2d
// CHECK-NOT: prom.conv2d
func.func @float_weights(%xq: tensor<1x4x4x3xi8>, %w: tensor<2x1x1x3xf32>) -> tensor<1x4x4x2xi8> {
  %dq = prom.dequantize %xq scales [0.5] zero_points [3] : tensor<1x4x4x3xi8> -> tensor<1x4x4x3xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %dq, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %yq = prom.quantize %y scales [0.1] zero_points [0] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  return %yq : tensor<1x4x4x2xi8>
}

// -----

// Residual add and global average pool of dequantized int8 values.
// CHECK-LABEL: func @add_pool
// CHECK: %[[S:.*]] = prom.add %arg0, %arg1 lhs(3.000000e-02, -3) rhs(2.000000e-02, -128) output(4.500000e-02, 7) clamp [7, 127] : tensor<1x6x6x4xi8>
// CHECK: prom.avg_pool2d %[[S]] kernel [6, 6] stride [1, 1] pad [0, 0, 0, 0] input(4.500000e-02, 7) output(3.000000e-02, 2) : tensor<1x6x6x4xi8> -> tensor<1x1x1x4xi8>
// CHECK-NOT: tosa.add
// CHECK-NOT: tosa.avg_pool2d
func.func @add_pool(%a: tensor<1x6x6x4xi8>, %b: tensor<1x6x6x4xi8>) -> tensor<1x1x1x4xi8> {
  %adq = prom.dequantize %a scales [0.03] zero_points [-3] : tensor<1x6x6x4xi8> -> tensor<1x6x6x4xf32>
  %bdq = prom.dequantize %b scales [0.02] zero_points [-128] : tensor<1x6x6x4xi8> -> tensor<1x6x6x4xf32>
  %s = tosa.add %adq, %bdq : (tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %r = tosa.clamp %s {min_val = 0.0 : f32, max_val = 3.0e+38 : f32} : (tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %sq = prom.quantize %r scales [0.045] zero_points [7] : tensor<1x6x6x4xf32> -> tensor<1x6x6x4xi8>
  %sdq = prom.dequantize %sq scales [0.045] zero_points [7] : tensor<1x6x6x4xi8> -> tensor<1x6x6x4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %p = tosa.avg_pool2d %sdq, %zp, %zp {acc_type = f32, kernel = array<i64: 6, 6>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  %pq = prom.quantize %p scales [0.03] zero_points [2] : tensor<1x1x1x4xf32> -> tensor<1x1x1x4xi8>
  return %pq : tensor<1x1x1x4xi8>
}
