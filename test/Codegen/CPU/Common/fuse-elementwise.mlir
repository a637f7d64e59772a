// RUN: prom-opt %s -split-input-file --prom-fuse-elementwise | FileCheck %s

// A chain of elementwise ops, each with one user, becomes one loop.
// CHECK-LABEL: func.func @chain
// CHECK:         linalg.generic
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK-NOT:     linalg.generic
// CHECK:         return
#id = affine_map<(d0) -> (d0)>
func.func @chain(%x: tensor<8xf32>, %s: f32) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %s : f32
    linalg.yield %m : f32
  } -> tensor<8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%0 : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %s : f32
    linalg.yield %a : f32
  } -> tensor<8xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%1 : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %2 : tensor<8xf32>
}

// -----

// A producer that updates its output in place (here, sums divided by a
// count, as HASTE's lowering does) is not fused into a consumer that
// broadcasts it: the fused op would keep that output as a result indexed
// by the broadcast dimension and divide each sum once per row.
// CHECK-LABEL: func.func @reads_own_output
// CHECK:         %[[MEAN:.*]] = linalg.generic
// CHECK-SAME:        outs(%{{.*}} : tensor<3xf32>)
// CHECK:           arith.divf
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[MEAN]], %{{.*}} : tensor<3xf32>, tensor<2xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.subf
#v = affine_map<(d0) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
#row = affine_map<(d0, d1) -> (d0)>
#m = affine_map<(d0, d1) -> (d0, d1)>
func.func @reads_own_output(%sums: tensor<3xf32>, %r: tensor<2xf32>,
                            %s: tensor<2x3xf32>, %n: f32) -> tensor<2x3xf32> {
  %mean = linalg.generic {indexing_maps = [#v], iterator_types = ["parallel"]}
      outs(%sums : tensor<3xf32>) {
  ^bb0(%out: f32):
    %d = arith.divf %out, %n : f32
    linalg.yield %d : f32
  } -> tensor<3xf32>
  %dots = linalg.generic {indexing_maps = [#col, #row, #m], iterator_types = ["parallel", "parallel"]}
      ins(%mean, %r : tensor<3xf32>, tensor<2xf32>) outs(%s : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %p = arith.mulf %a, %b : f32
    %q = arith.subf %out, %p : f32
    linalg.yield %q : f32
  } -> tensor<2x3xf32>
  return %dots : tensor<2x3xf32>
}
