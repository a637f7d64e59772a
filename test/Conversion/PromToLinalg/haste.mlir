// RUN: prom-opt %s -split-input-file --convert-prom-to-linalg | FileCheck %s

// Constant hyperplanes become a constant [P][L] f32 (transposed: entry
// (q, k) is plane k's entry at position q). Per input row, chunk of 16
// channels and group of planes (here both planes), one accumulator per
// plane plus the channel sums stay in registers over the row: an fma with
// the broadcast entry per plane, an add for the sums. dots = S - mean * R.
// CHECK-LABEL: func.func @constant_planes
// CHECK:       arith.constant dense<{{\[}}[1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [-1.000000e+00, 1.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<4x2xf32>
// CHECK:       scf.for {{.*}} -> (tensor<2x3xf32>, tensor<3xf32>)
// CHECK:         scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK:           vector.transfer_read %arg0{{.*}} : tensor<1x2x2x3xf32>, vector<16xf32>
// CHECK-COUNT-2:   math.fma {{.*}} : vector<16xf32>
// CHECK:           arith.addf {{.*}} : vector<16xf32>
// CHECK:       linalg.generic
// CHECK:         arith.divf
// CHECK:       linalg.generic
// CHECK:         arith.mulf
// CHECK-NEXT:    arith.subf
// CHECK-NOT:   tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<2x4xi8>
// CHECK:       return
func.func @constant_planes(%x: tensor<1x2x2x3xf32>) -> (tensor<3xindex>, index) {
  %p = arith.constant dense<[[1, 0, -1, 0], [0, 0, 1, 1]]> : tensor<2x4xi8>
  %b, %n = prom.haste_buckets %x, %p : tensor<1x2x2x3xf32>, tensor<2x4xi8> -> tensor<3xindex>
  return %b, %n : tensor<3xindex>, index
}

// -----

// Planes known only at run time are transposed at run time; groups of 8
// planes when L is not known.
// CHECK-LABEL: func.func @planes_at_run_time
// CHECK-NOT:   arith.constant dense<{{.*}}> : tensor<{{.*}}xf32>
// CHECK:       tensor.extract %arg1[%{{.*}}, %{{.*}}] : tensor<?x?xi8>
// CHECK:       scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-8: math.fma
func.func @planes_at_run_time(%x: tensor<1x2x2x3xf32>, %p: tensor<?x?xi8>) -> (tensor<3xindex>, index) {
  %b, %n = prom.haste_buckets %x, %p : tensor<1x2x2x3xf32>, tensor<?x?xi8> -> tensor<3xindex>
  return %b, %n : tensor<3xindex>, index
}

// -----

// Merging: 16 buckets at a time, one per lane. Per row and chunk of
// buckets, a loop over the chunk's slots gathers each bucket's next member
// (masked where the bucket has no more), sums from 0, averages (integers in
// f64, rounded), and stores the chunk (masked past the count).
// CHECK-LABEL: func.func @merge
// CHECK:       %[[CHUNKS:.*]] = arith.ceildivui %arg2, %c16 : index
// CHECK:       scf.for %{{.*}} = %{{.*}} to %[[CHUNKS]]
// CHECK:         %[[COUNT:.*]] = vector.transfer_read {{.*}} : tensor<?xi32>, vector<16xi32>
// CHECK:         %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<16xi32>) {
// CHECK:           %[[MEMBERS:.*]] = vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<?xi32>, vector<16xi32>
// CHECK:           %[[LIVE:.*]] = arith.cmpi sgt, %[[COUNT]], %{{.*}} : vector<16xi32>
// CHECK:           %[[V:.*]] = vector.gather %arg0[{{.*}}] [%[[MEMBERS]]], %[[LIVE]], %{{.*}} : tensor<1x2x2x40xi32>, vector<16xi32>, vector<16xi1>, vector<16xi32> into vector<16xi32>
// CHECK:           arith.addi %[[ACC]], %[[V]] : vector<16xi32>
// CHECK:         arith.maxsi %[[COUNT]]
// CHECK:         arith.divf {{.*}} : vector<16xf64>
// CHECK:         math.round {{.*}} : vector<16xf64>
// CHECK:         vector.transfer_write {{.*}} : vector<16xi32>, tensor<1x2x2x?xi32>
func.func @merge(%x: tensor<1x2x2x40xi32>, %b: tensor<40xindex>, %n: index) -> tensor<1x2x2x?xi32> {
  %m = prom.merge_channels %x, %b, %n average : tensor<1x2x2x40xi32>, tensor<40xindex> -> tensor<1x2x2x?xi32>
  return %m : tensor<1x2x2x?xi32>
}
