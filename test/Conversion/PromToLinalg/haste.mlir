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

// Merging: 16 positions at a time. Each block of 16 channels is read as
// 16 vectors (masked past the 40 channels), transposed by 4 rounds of 16
// shuffles, and each channel's vector of 16 positions is added into its
// bucket's row of a table (past the last channel, a spare row). Then per
// block of 16 buckets: the rows are read, averaged (integers in f64,
// rounded), cleared, transposed back and stored per position (masked past
// the count). Along a leading dimension, rows are added as vectors.
// CHECK-LABEL: func.func @merge
// CHECK:       arith.select %{{.*}}, %{{.*}}, %arg2 : index
// CHECK:       linalg.fill {{.*}} -> tensor<?x16xi32>
// CHECK:       scf.for
// CHECK:         scf.for
// CHECK-COUNT-16:  vector.transfer_read %arg0{{.*}} : tensor<1x2x2x40xi32>, vector<16xi32>
// CHECK-COUNT-64:  vector.shuffle
// CHECK:           vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<?x16xi32>, vector<16xi32>
// CHECK-NEXT:      arith.addi %{{.*}} : vector<16xi32>
// CHECK-NEXT:      vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<?x16xi32>
// CHECK:         scf.for
// CHECK:           arith.divf {{.*}} : vector<16xf64>
// CHECK:           math.round {{.*}} : vector<16xf64>
// CHECK:           vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<?x16xi32>
// CHECK-COUNT-64:  vector.shuffle
// CHECK-COUNT-16:  vector.transfer_write %{{.*}} : vector<16xi32>, tensor<1x2x2x?xi32>
// CHECK-NOT:   vector.gather
func.func @merge(%x: tensor<1x2x2x40xi32>, %b: tensor<40xindex>, %n: index) -> tensor<1x2x2x?xi32> {
  %m = prom.merge_channels %x, %b, %n average : tensor<1x2x2x40xi32>, tensor<40xindex> -> tensor<1x2x2x?xi32>
  return %m : tensor<1x2x2x?xi32>
}
