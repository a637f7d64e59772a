// RUN: prom-opt %s --convert-prom-to-linalg -split-input-file | FileCheck %s

// Per-axis quantize: scale and zero point indexed by the axis; roundeven,
// NaN-dropping clamp, f32 -> i8. Dynamic shapes take their sizes from the input.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AX:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @quantize
// CHECK: %[[DIM:.*]] = tensor.dim %{{.*}}, %c0
// CHECK: tensor.empty(%[[DIM]]) : tensor<?x2xi8>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AX]], #[[AX]], #[[ID]]]
// CHECK:   arith.divf
// CHECK:   math.roundeven
// CHECK:   arith.maxnumf
// CHECK:   arith.minnumf
// CHECK:   arith.fptosi %{{.*}} : f32 to i8
func.func @quantize(%x: tensor<?x2xf32>) -> tensor<?x2xi8> {
  %q = prom.quantize %x scales [0.5, 0.25] zero_points [1, -1] axis 1 : tensor<?x2xf32> -> tensor<?x2xi8>
  return %q : tensor<?x2xi8>
}

// -----

// Per-tensor parameters use a constant index map.
// CHECK-DAG: #[[C0:.*]] = affine_map<(d0) -> (0)>
// CHECK-LABEL: func @dequantize
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[C0]], #[[C0]], #{{.*}}]
// CHECK:   arith.sitofp %{{.*}} : i32 to f32
// CHECK:   arith.mulf
func.func @dequantize(%x: tensor<8xi8>) -> tensor<8xf32> {
  %y = prom.dequantize %x scales [0.5] zero_points [3] : tensor<8xi8> -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// One shared shift for both inputs of an add: 0.5 and 0.25 of the output scale.
// CHECK-LABEL: func @add
// CHECK-DAG: arith.constant 1073741824 : i64
// CHECK-DAG: arith.constant 536870912 : i64
// CHECK-DAG: arith.constant 31 : i64
// CHECK: arith.shrsi
func.func @add(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %y = prom.add %a, %b lhs(0.5, 0) rhs(0.25, 0) output(1.0, 0) : tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// CHECK-LABEL: func @table
// CHECK: %[[T:.*]] = arith.constant dense<{{.*}}> : tensor<256xi8>
// CHECK: linalg.generic
// CHECK:   arith.addi %{{.*}}, %c128_i32
// CHECK:   arith.index_cast
// CHECK:   tensor.extract %[[T]]
func.func @table(%x: tensor<4xi8>) -> tensor<4xi8> {
  %y = prom.table %x [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1] : tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// CHECK-LABEL: func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x5xi8>
// CHECK: %[[A:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [1, 2] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[A]][0, 2] [1, 3] [1, 1]
func.func @concat(%a: tensor<1x2xi8>, %b: tensor<1x3xi8>) -> tensor<1x5xi8> {
  %y = prom.concat %a, %b axis 1 : (tensor<1x2xi8>, tensor<1x3xi8>) -> tensor<1x5xi8>
  return %y : tensor<1x5xi8>
}

// -----

// The divisor of each output position is known at compile time: a 2x2
// table of multipliers and shifts for a 3x3 window, stride 2, pad 1, over
// 3x3: every window sees 4 input positions, so M = 1 / (4 * 0.5) = 2^-1.
// CHECK-LABEL: func @avg_pool
// CHECK: tensor.pad
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]
// CHECK: arith.constant dense<1073741824> : tensor<2x2xi32>
// CHECK: arith.constant dense<31> : tensor<2x2xi32>
func.func @avg_pool(%x: tensor<1x3x3x2xi8>) -> tensor<1x2x2x2xi8> {
  %y = prom.avg_pool2d %x kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] input(1.0, 0) output(0.5, 0) : tensor<1x3x3x2xi8> -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}
