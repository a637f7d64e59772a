// RUN: prom-opt %s --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,prom-channels-innermost))" | FileCheck %s
// The compiled functions give the golden model's bytes.
// RUN: %python %S/Inputs/channels_innermost_golden.py %t
// RUN: for f in avg max; do prom-run %s --entry=$f --input-file %t/$f.in --output-file %t/$f.got --print-limit 0 && cmp %t/$f.got %t/$f.want || exit 1; done
// RUN: prom-run %s --entry=depthwise --input-file %t/depthwise.in --input-file %t/depthwise.w --input-file %t/depthwise.b --output-file %t/depthwise.got --print-limit 0
// RUN: cmp %t/depthwise.got %t/depthwise.want
// RUN: prom-run %s --entry=matmul --input-file %t/matmul.in --input-file %t/matmul.b --output-file %t/matmul.got --print-limit 0
// RUN: cmp %t/matmul.got %t/matmul.want

// Loops (n, oh, ow, kh, kw, c) for pools: each window position adds a row of
// channels.
// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>
// CHECK-DAG:   #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4)>
// CHECK-DAG:   #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-DAG:   #[[DWIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d3, d2 * 2 + d4, d5)>
// CHECK-DAG:   #[[DWW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d4, d5, d6)>
// CHECK-DAG:   #[[DWOUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d5, d6)>
// CHECK-DAG:   #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG:   #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG:   #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @avg
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[WINDOW]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
// CHECK:           arith.addf
// CHECK-NOT:     linalg.pooling
func.func @avg(%x: tensor<1x6x5x24xf32>) -> tensor<1x1x1x24xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 6, 5>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x5x24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x24xf32>
  return %y : tensor<1x1x1x24xf32>
}

// CHECK-LABEL: func.func @max
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[WINDOW]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
// CHECK:           arith.maximumf
// CHECK-NOT:     linalg.pooling
func.func @max(%x: tensor<1x6x5x24xf32>) -> tensor<1x4x4x24xf32> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 3, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x5x24xf32>) -> tensor<1x4x4x24xf32>
  return %y : tensor<1x4x4x24xf32>
}

// Depthwise: loops (n, oh, ow, kh, kw, c, m).
// CHECK-LABEL: func.func @depthwise
// CHECK:         linalg.generic {indexing_maps = [#[[DWIN]], #[[DWW]], #[[DWOUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel", "parallel"]}
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK-NOT:     linalg.depthwise
func.func @depthwise(%x: tensor<1x7x5x24xf32>, %w: tensor<3x3x24x1xf32>, %b: tensor<24xf32>) -> tensor<1x3x2x24xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x7x5x24xf32>, tensor<3x3x24x1xf32>, tensor<24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x2x24xf32>
  return %y : tensor<1x3x2x24xf32>
}

// Matmul: loops (b, m, k, n).
// CHECK-LABEL: func.func @matmul
// CHECK:         linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK-NOT:     linalg.batch_matmul
func.func @matmul(%a: tensor<1x2x9xf32>, %b: tensor<1x9x24xf32>) -> tensor<1x2x24xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %a, %b, %zp, %zp : (tensor<1x2x9xf32>, tensor<1x9x24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x24xf32>
  return %y : tensor<1x2x24xf32>
}
