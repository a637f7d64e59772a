// RUN: prom-opt %s --prom-quantize -split-input-file -verify-diagnostics | FileCheck %s
// RUN: prom-opt %s --prom-quantize --prom-qdq-to-integer --canonicalize -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=INT

// int8 weights, symmetric per output channel: channel 0 has max|w| = 1.27,
// so scale 0.01 and q = [50, -127, 1, 0]; channel 1 max 0.254, scale 0.002,
// q = [127, -127, 64, -64] (0.128 / 0.002 = 64). Activations: the input
// range [-1, 3] gives scale 4/255 and zero point round(-128 + 1 / (4/255))
// = -64; the ReLU6 output [0, 6] gives 6/255 and -128.
// CHECK-LABEL: func @int8_conv
// CHECK: %[[XQ:.*]] = prom.quantize %arg0 scales [0.0156862754] zero_points [-64]
// CHECK: %[[XDQ:.*]] = prom.dequantize %[[XQ]]
// CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}50, -127, 1, 0]]], {{\[\[\[}}127, -127, 64, -64]]]]> : tensor<2x1x1x4xi8>}>
// CHECK: %[[WDQ:.*]] = prom.dequantize %[[W]] scales [0.00999999977, 2.000000e-03] zero_points [0, 0] axis 0
// CHECK: %[[Y:.*]] = tosa.conv2d %[[XDQ]], %[[WDQ]]
// CHECK: %[[R:.*]] = tosa.clamp %[[Y]]
// CHECK: %[[RQ:.*]] = prom.quantize %[[R]] scales [0.0235294122] zero_points [-128]
// CHECK: %[[RDQ:.*]] = prom.dequantize %[[RQ]]
// CHECK: return %[[RDQ]]
// The clamp [0, 6] spans the whole int8 range of the output: no clamp left.
// INT-LABEL: func @int8_conv
// INT: prom.conv2d {{.*}} groups 1 input(0.0156862754, -64) weight_scales [0.00999999977, 2.000000e-03] output(0.0235294122, -128) :
func.func @int8_conv(%x: tensor<1x2x2x4xf32> {prom.range = array<f32: -1.0, 3.0>}) -> tensor<1x2x2x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[0.5, -1.27, 0.01, 0.0]]], [[[0.254, -0.254, 0.128, -0.128]]]]> : tensor<2x1x1x4xf32>}> : () -> tensor<2x1x1x4xf32>
  %b = "tosa.const"() <{values = dense<[0.1, -0.2]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<int8>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32, prom.range = array<f32: 0.0, 6.0>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// Ternary by TWN: channel 0 has mean|w| = 1.55 / 4, threshold 0.7 * that
// = 0.27125, keeps -0.5 and 0.9: q = [0, -1, 1, 0], scale (0.5 + 0.9) / 2
// = 0.7. Channel 1 keeps all four, scale 1. The output is not clamped: its
// range [-2, 2] gives scale 4/255 and zero point round(-128 + 127.5) = -1
// (ties away from zero).
// CHECK-LABEL: func @ternary_conv
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[\[}}0, -1, 1, 0]]], {{\[\[\[}}1, 1, -1, -1]]]]> : tensor<2x1x1x4xi8>}>
// CHECK: prom.dequantize {{.*}} scales [0.699999988, 1.000000e+00] zero_points [0, 0] axis 0
// CHECK: prom.quantize {{.*}} scales [0.0156862754] zero_points [-1]
// INT-LABEL: func @ternary_conv
// INT: prom.ternary_conv2d {{.*}} weight_scales [0.699999988, 1.000000e+00] output(0.0156862754, -1)
// INT-NOT: prom.conv2d
func.func @ternary_conv(%x: tensor<1x2x2x4xf32> {prom.range = array<f32: -1.0, 3.0>}) -> tensor<1x2x2x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[0.1, -0.5, 0.9, 0.05]]], [[[1.0, 1.0, -1.0, -1.0]]]]> : tensor<2x1x1x4xf32>}> : () -> tensor<2x1x1x4xf32>
  %b = "tosa.const"() <{values = dense<[0.0, 0.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<ternary>, prom.range = array<f32: -2.0, 2.0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Depthwise with channel multiplier 2 ([KH, KW, C, M] = [1, 1, 2, 2]): one
// scale per output channel c * M + m, on a [1, 1, 4] constant that a
// reshape turns back into [1, 1, 2, 2]. prom-qdq-to-integer reads it back
// as [C*M, KH, KW, 1] weights.
// CHECK-LABEL: func @depthwise
// CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}127, 127, -127, 127]]]> : tensor<1x1x4xi8>}>
// CHECK: %[[DQ:.*]] = prom.dequantize %[[W]] scales [0.00787401571, 0.0157480314, 0.0236220472, 0.0314960629] zero_points [0, 0, 0, 0] axis 2
// CHECK: tosa.reshape %[[DQ]]
// INT-LABEL: func @depthwise
// INT: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}127]]], {{\[\[\[}}127]]], {{\[\[\[}}-127]]], {{\[\[\[}}127]]]]> : tensor<4x1x1x1xi8>}>
// INT: prom.conv2d {{.*}}, %[[W]], {{.*}} groups 2 {{.*}} weight_scales [0.00787401571, 0.0157480314, 0.0236220472, 0.0314960629]
func.func @depthwise(%x: tensor<1x2x2x2xf32> {prom.range = array<f32: -1.0, 1.0>}) -> tensor<1x2x2x4xf32> {
  %w = "tosa.const"() <{values = dense<[[[[1.0, 2.0], [-3.0, 4.0]]]]> : tensor<1x1x2x2xf32>}> : () -> tensor<1x1x2x2xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<int8>, prom.range = array<f32: -9.0, 9.0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// A residual add of two quantized tensors and an average pool of a
// quantized tensor are quantized too; a float plan is left alone.
// CHECK-LABEL: func @add_and_pool
// CHECK: tosa.add
// CHECK-NEXT: prom.quantize {{.*}} scales [0.0313725509] zero_points [-128]
// CHECK: tosa.avg_pool2d
// CHECK-NEXT: prom.quantize {{.*}} scales [0.0156862754] zero_points [-128]
// INT-LABEL: func @add_and_pool
// INT: prom.conv2d
// INT: prom.add
// INT: prom.avg_pool2d
// INT-NOT: tosa.conv2d
// INT: tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<float>
func.func @add_and_pool(%x: tensor<1x2x2x4xf32> {prom.range = array<f32: 0.0, 4.0>}) -> (tensor<1x1x1x4xf32>, tensor<1x2x2x4xf32>) {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<int8>, prom.range = array<f32: 0.0, 4.0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  %s = tosa.add %x, %y {prom.range = array<f32: 0.0, 8.0>} : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %p = tosa.avg_pool2d %s, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, prom.range = array<f32: 0.0, 4.0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  %f = tosa.conv2d %s, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<float>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  return %p, %f : tensor<1x1x1x4xf32>, tensor<1x2x2x4xf32>
}

// -----

// Weights that are not a constant stay float, with a remark; an activation
// without a range stays float, with one warning for the function.
// expected-warning @+1 {{1 of 2 activations of 'dynamic_weights' have no calibrated range (prom.range) and stay float; run prom-calibrate first}}
func.func @dynamic_weights(%x: tensor<1x2x2x4xf32> {prom.range = array<f32: 0.0, 4.0>}, %w: tensor<4x1x1x4xf32>) -> tensor<1x2x2x4xf32> {
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-remark @+1 {{weights are not a float constant; the layer stays float}}
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<int8>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

func.func @malformed_range(%x: tensor<1x2x2x4xf32> {prom.range = array<f32: 0.0, 4.0>}) -> tensor<1x2x2x4xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{malformed prom.range: expected array<f32: min, max> with min <= max}}
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<int8>, prom.range = array<f32: 4.0, 0.0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// The classifier as the importer writes Gemm (matmul on [1, M, K] x
// [1, K, N], reshape, bias add): int8 weights per output feature n (axis 2
// of [1, K, N]), and prom.fully_connected with [N, K] weights.
// CHECK-LABEL: func @classifier
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[}}127, 127], [50, -127], [1, 64], [0, -64]]]> : tensor<1x4x2xi8>}>
// CHECK: prom.dequantize {{.*}} scales [0.00999999977, 2.000000e-03] zero_points [0, 0] axis 2
// CHECK: tosa.add
// CHECK-NEXT: prom.quantize {{.*}} scales [0.0313725509] zero_points [-1]
// INT-LABEL: func @classifier
// INT: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[}}127, 50, 1, 0], [127, -127, 64, -64]]> : tensor<2x4xi8>}>
// INT: %[[X:.*]] = tosa.reshape {{.*}} -> tensor<1x4xi8>
// INT: prom.fully_connected %[[X]], %[[W]], {{.*}} input(0.00784313772, -128) weight_scales [0.00999999977, 2.000000e-03] output(0.0313725509, -1) : (tensor<1x4xi8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<1x2xi8>
// INT-NOT: tosa.matmul
func.func @classifier(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.27, 0.254], [0.5, -0.254], [0.01, 0.128], [0.0, -0.128]]]> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %s3 = tosa.const_shape {values = dense<[1, 1, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %x3 = tosa.reshape %x, %s3 {prom.range = array<f32: 0.0, 2.0>} : (tensor<1x4xf32>, !tosa.shape<3>) -> tensor<1x1x4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x3, %w, %zp, %zp {prom.bitwidth = #prom.bitwidth<int8>} : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %s2 = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %m, %s2 : (tensor<1x1x2xf32>, !tosa.shape<2>) -> tensor<1x2xf32>
  %b = "tosa.const"() <{values = dense<[[0.5, -0.5]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %y = tosa.add %r, %b {prom.range = array<f32: -4.0, 4.0>} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A sequence's rows through a weight, as the importer writes a rank-3 MatMul
// by a 2-D one ([1, M, K] x [1, K, N], no reshape): one
// prom.fully_connected on the M rows, reshaped back to [1, M, N].
// INT-LABEL: func @sequence_rows
// INT: %[[X:.*]] = tosa.reshape {{.*}} -> tensor<3x4xi8>
// INT: %[[FC:.*]] = prom.fully_connected %[[X]], {{.*}} -> tensor<3x2xi8>
// INT: tosa.reshape %[[FC]], {{.*}} -> tensor<1x3x2xi8>
// INT-NOT: tosa.matmul
func.func @sequence_rows(%x: tensor<1x3x4xf32> {prom.range = array<f32: 0.0, 2.0>}) -> tensor<1x3x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.27, 0.254], [0.5, -0.254], [0.01, 0.128], [0.0, -0.128]]]> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {prom.bitwidth = #prom.bitwidth<int8>, prom.range = array<f32: -4.0, 4.0>} : (tensor<1x3x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x2xf32>
  return %m : tensor<1x3x2xf32>
}
