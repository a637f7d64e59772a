// RUN: prom-opt %s --prom-tabulate-elementwise --split-input-file | FileCheck %s

// relu6 at scale 0.5: x / 2 clamped to [0, 6], back at scale 0.5, is the
// input clamped to [0, 12]: index v + 128 holds clamp(v, 0, 12).
// CHECK-LABEL: func.func @relu6
// CHECK-NEXT:    %[[T:.*]] = prom.table %arg0 [0, 0, {{(0, )+}}0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, {{(12, )+}}12] : tensor<1x4x4x8xi8>
// CHECK-NEXT:    return %[[T]]
func.func @relu6(%x: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8> {
  %d = prom.dequantize %x scales [0.5] zero_points [0] : tensor<1x4x4x8xi8> -> tensor<1x4x4x8xf32>
  %c = tosa.clamp %d {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %q = prom.quantize %c scales [0.5] zero_points [0] : tensor<1x4x4x8xf32> -> tensor<1x4x4x8xi8>
  return %q : tensor<1x4x4x8xi8>
}

// -----

// hardswish as ONNX exporters write it, x * clamp(x / 6 + 1 / 2, 0, 1):
// the dequantize is read twice; every float op goes (the constants stay
// for the canonicalizer).
// CHECK-LABEL: func.func @hardswish
// CHECK-NOT:     prom.dequantize
// CHECK:         prom.table %arg0 [-112, {{.*}}, 125, 127] : tensor<1x4x4x8xi8>
// CHECK-NOT:     tosa.{{mul|add|clamp}}
// CHECK:         return
func.func @hardswish(%x: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8> {
  %sixth = "tosa.const"() <{values = dense<0.166666672> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %half = "tosa.const"() <{values = dense<5.000000e-01> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %d = prom.dequantize %x scales [0.0441913195] zero_points [1] : tensor<1x4x4x8xi8> -> tensor<1x4x4x8xf32>
  %m = tosa.mul %d, %sixth, %shift : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x4x4x8xf32>
  %a = tosa.add %m, %half : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
  %c = tosa.clamp %a {max_val = 1.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %y = tosa.mul %d, %c, %shift : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1xi8>) -> tensor<1x4x4x8xf32>
  %q = prom.quantize %y scales [0.0232604649] zero_points [-112] : tensor<1x4x4x8xf32> -> tensor<1x4x4x8xi8>
  return %q : tensor<1x4x4x8xi8>
}

// -----

// A value of the chain read elsewhere stays, with what computes it.
// CHECK-LABEL: func.func @shared
// CHECK:         %[[D:.*]] = prom.dequantize %arg0
// CHECK:         %[[C:.*]] = tosa.clamp %[[D]]
// CHECK:         %[[T:.*]] = prom.table %arg0
// CHECK:         return %[[T]], %[[C]]
func.func @shared(%x: tensor<1x4x4x8xi8>) -> (tensor<1x4x4x8xi8>, tensor<1x4x4x8xf32>) {
  %d = prom.dequantize %x scales [0.5] zero_points [0] : tensor<1x4x4x8xi8> -> tensor<1x4x4x8xf32>
  %c = tosa.clamp %d {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %q = prom.quantize %c scales [0.5] zero_points [0] : tensor<1x4x4x8xf32> -> tensor<1x4x4x8xi8>
  return %q, %c : tensor<1x4x4x8xi8>, tensor<1x4x4x8xf32>
}

// -----

// Not tabulated: a per-channel dequantize (a table per channel), a
// constant that is not a splat, a second tensor, an op whose f32 result
// the table would not reproduce exactly (sigmoid: expf), a broadcast.
// CHECK-LABEL: func.func @not_tabulated
// CHECK-NOT:     prom.table
func.func @not_tabulated(%x: tensor<1x1x1x2xi8>, %z: tensor<1x1x1x2xf32>, %s: tensor<1x1x1x1xi8>) -> (tensor<1x1x1x2xi8>, tensor<1x1x1x2xi8>, tensor<1x1x1x2xi8>, tensor<1x1x1x2xi8>, tensor<1x4x4x2xi8>) {
  %d = prom.dequantize %x scales [0.5, 0.25] zero_points [0, 0] axis 3 : tensor<1x1x1x2xi8> -> tensor<1x1x1x2xf32>
  %c = tosa.clamp %d {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %q0 = prom.quantize %c scales [0.5] zero_points [0] : tensor<1x1x1x2xf32> -> tensor<1x1x1x2xi8>
  %e = prom.dequantize %x scales [0.5] zero_points [0] : tensor<1x1x1x2xi8> -> tensor<1x1x1x2xf32>
  %k = "tosa.const"() <{values = dense<[[[[1.0, 2.0]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %a = tosa.add %e, %k : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %q1 = prom.quantize %a scales [0.5] zero_points [0] : tensor<1x1x1x2xf32> -> tensor<1x1x1x2xi8>
  %b = tosa.add %e, %z : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %q2 = prom.quantize %b scales [0.5] zero_points [0] : tensor<1x1x1x2xf32> -> tensor<1x1x1x2xi8>
  %g = tosa.sigmoid %e : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %q3 = prom.quantize %g scales [0.00390625] zero_points [-128] : tensor<1x1x1x2xf32> -> tensor<1x1x1x2xi8>
  %big = "tosa.const"() <{values = dense<1.0> : tensor<1x4x4x2xf32>}> : () -> tensor<1x4x4x2xf32>
  %w = tosa.add %e, %big : (tensor<1x1x1x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %q4 = prom.quantize %w scales [0.5] zero_points [0] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  return %q0, %q1, %q2, %q3, %q4 : tensor<1x1x1x2xi8>, tensor<1x1x1x2xi8>, tensor<1x1x1x2xi8>, tensor<1x1x1x2xi8>, tensor<1x4x4x2xi8>
}
