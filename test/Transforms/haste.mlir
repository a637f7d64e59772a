// RUN: prom-opt %s --prom-haste | FileCheck %s --check-prefix=WHOLE
// RUN: prom-opt %s --prom-haste="patch=2,3 hyperplanes=5 seed=7" | FileCheck %s --check-prefix=PATCH
// RUN: prom-opt %s --prom-haste="kinds=pointwise" | FileCheck %s --check-prefix=POINTWISE
// RUN: prom-opt %s --prom-haste="layers=proj" | FileCheck %s --check-prefix=POINTWISE
// The rewritten IR lowers and runs through the whole pipeline.
// RUN: prom-opt %s --prom-haste="patch=2,3" --prom-to-llvm | FileCheck %s --check-prefix=LLVM

// A 3x3 conv (padded) and a 1x1 conv. Whole map: the padded 6x6 input is
// one tile, so the hyperplanes have 36 entries; the conv runs on the merged
// channels, a dynamic dimension, unless every channel kept its own bucket:
// then the original conv runs (it is HASTE's conv then).
// WHOLE-LABEL: func @two_convs
// The filter as HWCF slices, transposed at compile time (the weights are
// constants).
// WHOLE: %[[PLANES:.*]] = arith.constant dense<{{.*}}> : tensor<12x36xi8>
// WHOLE: %[[F:.*]] = arith.constant dense_resource<{{.*}}> : tensor<3x3x8x16xf32>
// WHOLE-NOT: scf.for
// WHOLE: %[[PADDED:.*]] = tensor.pad
// WHOLE: %[[B:.*]], %[[N:.*]] = prom.haste_buckets %[[PADDED]], %[[PLANES]] : tensor<1x6x6x8xf32>, tensor<12x36xi8> -> tensor<8xindex>
// WHOLE: %[[ALL:.*]] = arith.cmpi eq, %[[N]], %c8{{(_[0-9]+)?}} : index
// WHOLE: scf.if %[[ALL]] -> (tensor<1x4x4x16xf32>) {
// WHOLE-NEXT: tosa.conv2d %arg0, {{.*}} pad = array<i64: 1, 1, 1, 1>
// WHOLE: } else {
// WHOLE: %[[X:.*]] = prom.merge_channels %[[PADDED]], %[[B]], %[[N]] average : tensor<1x6x6x8xf32>, tensor<8xindex> -> tensor<1x6x6x?xf32>
// WHOLE: %[[W:.*]] = prom.merge_channels %[[F]], %[[B]], %[[N]] along 2 : tensor<3x3x8x16xf32>, tensor<8xindex> -> tensor<3x3x?x16xf32>
// WHOLE: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X]], %[[W]] : tensor<1x6x6x?xf32>, tensor<3x3x?x16xf32>) {{.*}} -> tensor<1x4x4x16xf32>
// WHOLE: prom.haste_buckets {{.*}} : tensor<1x4x4x16xf32>, tensor<12x16xi8> -> tensor<16xindex>
// WHOLE: scf.if
// WHOLE-NEXT: tosa.conv2d {{.*}} -> tensor<1x4x4x4xf32>
// WHOLE: } else {
// WHOLE-NOT: tosa.conv2d
// Patches of 2x3 outputs: input tiles of 4x5 for the 3x3 conv, 2x3 for the 1x1.
// PATCH: arith.constant dense<{{.*}}> : tensor<5x20xi8>
// PATCH: scf.for
// PATCH: scf.for
// PATCH: prom.haste_buckets {{.*}} tensor<5x20xi8>
// PATCH: arith.constant dense<{{.*}}> : tensor<5x6xi8>
// PATCH-NOT: tosa.conv2d
// Only the pointwise conv ("proj") is rewritten.
// POINTWISE: tosa.conv2d {{.*}} -> tensor<1x4x4x16xf32>
// POINTWISE: prom.haste_buckets {{.*}} : tensor<1x4x4x16xf32>
// POINTWISE: scf.if
// POINTWISE-NEXT: tosa.conv2d {{.*}} -> tensor<1x4x4x4xf32>
// POINTWISE: } else {
// POINTWISE-NOT: tosa.conv2d
// LLVM: llvm.func @two_convs
// LLVM-NOT: prom.
func.func @two_convs(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x4xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<16x3x3x8xf32>} : () -> tensor<16x3x3x8xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %w2 = "tosa.const"() {values = dense<0.125> : tensor<4x1x1x16xf32>} : () -> tensor<4x1x1x16xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<16x3x3x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32> loc("stem")
  %1 = tosa.conv2d %0, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x16xf32>, tensor<4x1x1x16xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32> loc("proj")
  return %1 : tensor<1x4x4x4xf32>
}

// The run-time counter: one row per rewritten layer. On an all-zero input
// every channel of both convs' inputs is the same constant, so each layer
// keeps one channel per patch.
// RUN: prom-opt %s --prom-haste="count-channels=1" | FileCheck %s --check-prefix=COUNT
// COUNT: module attributes {prom.haste_layers = [{channels = 8 : i64, macs = 18432 : i64, name = "stem"}, {channels = 16 : i64, macs = 1024 : i64, name = "proj"}]}
// COUNT: memref.global @prom_haste_channels : memref<2x2xi64> = dense<0>
// COUNT: memref.atomic_rmw addi
// RUN: prom-opt %s --prom-haste="count-channels=1 patch=2,3" -o %t.mlir
// RUN: prom-run %t.mlir --zeros --haste-counts | FileCheck %s --check-prefix=RUNCOUNT
// RUNCOUNT: HASTE: input channels kept per patch (mean)
// RUNCOUNT-NEXT: stem 8 -> 1.00 ( 12.5%), 4 patches per call
// RUNCOUNT-NEXT: proj 16 -> 1.00 (  6.2%), 4 patches per call
// RUNCOUNT-NEXT: MACs of these layers: 0.0 M -> 0.0 M (87.8% fewer)
// RUN: not prom-run %s --zeros --haste-counts 2>&1 | FileCheck %s --check-prefix=NOCOUNT
// NOCOUNT: prom-run: error: --haste-counts: the module has no HASTE counters
