// RUN: prom-opt %s --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,prom-pooling-channels-innermost))" | FileCheck %s
// The compiled pools give the golden model's bytes.
// RUN: %python %S/Inputs/pool_golden.py %t
// RUN: for f in avg max; do prom-run %s --entry=$f --input-file %t/$f.in --output-file %t/$f.got --print-limit 0 && cmp %t/$f.got %t/$f.want || exit 1; done

// Loops (n, oh, ow, kh, kw, c): each window position adds a row of
// channels.
// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>
// CHECK-DAG:   #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4)>
// CHECK-DAG:   #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
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
