// Tiling a block of prom convolutions with the transform dialect gives the
// bytes of the untiled block.
// RUN: prom-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/tile-block.mlir --transform-interpreter | FileCheck %s
// RUN: prom-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/tile-block.mlir --transform-interpreter > %t.tiled.mlir
// RUN: prom-opt %t.tiled.mlir --prom-set-target=cpu=znver4 --prom-select-kernels | FileCheck %s --check-prefix=SELECT
// RUN: prom-run %s --entry=block --seed=5 --kernel-isa=none --output-file=%t.ref
// RUN: prom-run %t.tiled.mlir --entry=block --seed=5 --kernel-isa=none --output-file=%t.tiled.none
// RUN: prom-run %t.tiled.mlir --entry=block --seed=5 --output-file=%t.tiled.auto
// RUN: cmp %t.ref %t.tiled.none
// RUN: cmp %t.ref %t.tiled.auto
// RUN: prom-run %s --entry=strided --seed=6 --kernel-isa=none --output-file=%t.ref2
// RUN: prom-run %t.tiled.mlir --entry=strided --seed=6 --kernel-isa=none --output-file=%t.tiled2.none
// RUN: prom-run %t.tiled.mlir --entry=strided --seed=6 --output-file=%t.tiled2.auto
// RUN: cmp %t.ref2 %t.tiled2.none
// RUN: cmp %t.ref2 %t.tiled2.auto

// An inverted residual block: expand 1x1, depthwise 3x3 (pad 1), project
// 1x1 ternary, tiled over batch, rows and columns of the projection with
// both producers fused, so each tile computes the expansion pixels it needs
// and pads them where the tile meets the border.
// CHECK-LABEL: func.func @block
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: prom.conv2d {{.*}} -> tensor<1x?x?x16xi8>
// CHECK: tensor.pad {{.*}} low[0, %{{.*}}, %{{.*}}, 0] high[0, %{{.*}}, %{{.*}}, 0]
// CHECK: tensor.yield %c-128_i8
// CHECK: prom.conv2d {{.*}} pad [0, 0, 0, 0]
// CHECK-SAME: (tensor<1x4x5x16xi8>, tensor<16x3x3x1xi8>, tensor<16xi32>) -> tensor<1x2x3x16xi8>
// CHECK: prom.ternary_conv2d {{.*}} -> tensor<1x2x3x8xi8>
// CHECK: tensor.insert_slice

// The tiles get kernels: the tiled depthwise and projection have static
// shapes; the fused expansion's tile does not and takes the reference.
// SELECT-LABEL: func.func @block
// SELECT: scf.for
// SELECT: prom.conv2d {{.*}}<kind = reference, reason = "shapes are not static"
// SELECT-SAME: -> tensor<1x?x?x16xi8>
// SELECT: prom.conv2d {{.*}}<kind = depthwise_vector
// SELECT-SAME: -> tensor<1x2x3x16xi8>
// SELECT: prom.ternary_conv2d {{.*}}<kind = pointwise_dot
// SELECT-SAME: -> tensor<1x2x3x8xi8>
func.func @block(%x: tensor<2x10x9x8xi8>) -> tensor<2x10x9x8xi8> {
  %we = arith.constant dense<[[[[-45, 115, -89, -26, 39, -115, -109, 83]]], [[[10, -103, -34, 22, -113, 105, 2, -73]]], [[[-118, -105, -16, -20, -110, -66, -104, 14]]], [[[-19, -112, 84, 17, -96, 115, -70, 34]]], [[[33, 22, 115, -112, 20, 22, -26, -115]]], [[[122, -71, -116, 15, 92, -93, -53, -20]]], [[[-91, 11, -97, 19, -49, 16, 81, 47]]], [[[-81, -101, 21, 19, 36, -79, -32, -103]]], [[[13, 55, -111, 17, -112, 31, -75, 0]]], [[[47, 9, -18, 71, -47, -8, 22, 109]]], [[[-11, -35, -51, -64, 76, -81, 51, 72]]], [[[-65, -107, 20, -51, 7, -1, 97, -40]]], [[[59, -13, -54, 28, 123, -109, -97, 4]]], [[[-20, -85, 66, -40, -89, 111, -2, -20]]], [[[-117, 119, 44, -108, 68, 15, 19, 75]]], [[[97, 82, -47, -40, 50, -38, 25, 0]]]]> : tensor<16x1x1x8xi8>
  %wd = arith.constant dense<[[[[21], [77], [-11]], [[-110], [88], [-104]], [[114], [-58], [-6]]], [[[51], [43], [-111]], [[-112], [60], [52]], [[-48], [38], [20]]], [[[127], [47], [83]], [[-13], [-55], [56]], [[-29], [100], [44]]], [[[-39], [-122], [113]], [[-9], [-37], [-84]], [[29], [-98], [-1]]], [[[-112], [-72], [69]], [[-54], [-94], [62]], [[-64], [-26], [-27]]], [[[107], [96], [0]], [[-107], [-85], [-13]], [[-25], [13], [-56]]], [[[99], [-92], [82]], [[-17], [94], [13]], [[-56], [53], [-21]]], [[[125], [-36], [47]], [[99], [-30], [118]], [[-68], [-89], [-106]]], [[[-82], [-89], [-68]], [[41], [-68], [-124]], [[-3], [85], [23]]], [[[-81], [-60], [-55]], [[-126], [-90], [-20]], [[9], [-33], [29]]], [[[17], [-46], [116]], [[-95], [49], [92]], [[4], [116], [31]]], [[[40], [46], [62]], [[-114], [-11], [103]], [[95], [72], [116]]], [[[96], [47], [77]], [[16], [-27], [-26]], [[-25], [-27], [-101]]], [[[-4], [35], [-25]], [[-112], [-79], [-110]], [[125], [-74], [-15]]], [[[-86], [-99], [-40]], [[26], [-114], [-101]], [[-127], [18], [-89]]], [[[10], [-102], [115]], [[-34], [30], [-121]], [[-109], [96], [-74]]]]> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<[[[[1, 0, -1, 1, 0, 0, 1, 0, 0, -1, -1, 0, 0, 0, 0, 0]]], [[[-1, -1, -1, 1, 0, 1, 0, 0, 1, -1, 1, -1, -1, 1, 0, -1]]], [[[1, 1, -1, 1, 0, 1, -1, 1, 0, 1, 0, -1, 0, -1, 1, 1]]], [[[1, 0, 1, -1, 1, -1, -1, 0, 1, -1, -1, 1, 0, 0, 1, -1]]], [[[-1, 0, 0, 0, -1, 1, 1, 0, 0, 1, 0, 0, -1, -1, -1, -1]]], [[[0, -1, 0, -1, 0, 1, 1, -1, 0, 1, 0, 1, -1, 1, -1, 0]]], [[[1, -1, 0, -1, 0, 1, 0, -1, 1, 0, 0, 0, 1, -1, 1, -1]]], [[[-1, -1, -1, -1, 1, 0, 1, -1, 1, 1, 0, 1, 0, -1, 1, 1]]]]> : tensor<8x1x1x16xi8>
  %bd = arith.constant dense<[-1464, -1913, -1942, 1274, 1976, 975, 661, -1580, 156, 1069, 1824, -1430, -224, 1570, -1203, 1383]> : tensor<16xi32>
  %e = prom.conv2d %x, %we stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1
         input(0.05, -3) weight_scales [0.0015, 0.0016, 0.0017, 0.0018, 0.0019, 0.0020, 0.0021, 0.0022, 0.0023, 0.0024, 0.0025, 0.0026, 0.0027, 0.0028, 0.0029, 0.0030] output(0.02, -128) clamp [-128, 60]
         : (tensor<2x10x9x8xi8>, tensor<16x1x1x8xi8>) -> tensor<2x10x9x16xi8>
  %d = prom.conv2d %e, %wd, %bd stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 16
         input(0.02, -128) weight_scales [0.0025, 0.0024, 0.0023, 0.0022, 0.0021, 0.0020, 0.0019, 0.0018, 0.0017, 0.0016, 0.0015, 0.0014, 0.0013, 0.0012, 0.0011, 0.0010] output(0.01, -5) clamp [-128, 90]
         : (tensor<2x10x9x16xi8>, tensor<16x3x3x1xi8>, tensor<16xi32>) -> tensor<2x10x9x16xi8>
  %p = prom.ternary_conv2d %d, %wp stride [1, 1] input(0.01, -5)
         weight_scales [0.040, 0.042, 0.044, 0.046, 0.048, 0.050, 0.052, 0.054] output(0.002, 1)
         : (tensor<2x10x9x16xi8>, tensor<8x1x1x16xi8>) -> tensor<2x10x9x8xi8>
  return %p : tensor<2x10x9x8xi8>
}

// A stride-2 depthwise with padding on one side of each dimension; columns
// (5) do not divide by the tile (3), so the last column tile is narrower.
// CHECK-LABEL: func.func @strided
// CHECK: affine.min
// CHECK: prom.conv2d {{.*}} stride [2, 2] pad [0, 0, 0, 0]
// CHECK-SAME: -> tensor<1x2x?x16xi8>
// CHECK: prom.ternary_conv2d {{.*}} -> tensor<1x2x?x8xi8>
func.func @strided(%x: tensor<1x12x11x8xi8>) -> tensor<1x6x5x8xi8> {
  %we = arith.constant dense<[[[[-45, 115, -89, -26, 39, -115, -109, 83]]], [[[10, -103, -34, 22, -113, 105, 2, -73]]], [[[-118, -105, -16, -20, -110, -66, -104, 14]]], [[[-19, -112, 84, 17, -96, 115, -70, 34]]], [[[33, 22, 115, -112, 20, 22, -26, -115]]], [[[122, -71, -116, 15, 92, -93, -53, -20]]], [[[-91, 11, -97, 19, -49, 16, 81, 47]]], [[[-81, -101, 21, 19, 36, -79, -32, -103]]], [[[13, 55, -111, 17, -112, 31, -75, 0]]], [[[47, 9, -18, 71, -47, -8, 22, 109]]], [[[-11, -35, -51, -64, 76, -81, 51, 72]]], [[[-65, -107, 20, -51, 7, -1, 97, -40]]], [[[59, -13, -54, 28, 123, -109, -97, 4]]], [[[-20, -85, 66, -40, -89, 111, -2, -20]]], [[[-117, 119, 44, -108, 68, 15, 19, 75]]], [[[97, 82, -47, -40, 50, -38, 25, 0]]]]> : tensor<16x1x1x8xi8>
  %wd = arith.constant dense<[[[[21], [77], [-11]], [[-110], [88], [-104]], [[114], [-58], [-6]]], [[[51], [43], [-111]], [[-112], [60], [52]], [[-48], [38], [20]]], [[[127], [47], [83]], [[-13], [-55], [56]], [[-29], [100], [44]]], [[[-39], [-122], [113]], [[-9], [-37], [-84]], [[29], [-98], [-1]]], [[[-112], [-72], [69]], [[-54], [-94], [62]], [[-64], [-26], [-27]]], [[[107], [96], [0]], [[-107], [-85], [-13]], [[-25], [13], [-56]]], [[[99], [-92], [82]], [[-17], [94], [13]], [[-56], [53], [-21]]], [[[125], [-36], [47]], [[99], [-30], [118]], [[-68], [-89], [-106]]], [[[-82], [-89], [-68]], [[41], [-68], [-124]], [[-3], [85], [23]]], [[[-81], [-60], [-55]], [[-126], [-90], [-20]], [[9], [-33], [29]]], [[[17], [-46], [116]], [[-95], [49], [92]], [[4], [116], [31]]], [[[40], [46], [62]], [[-114], [-11], [103]], [[95], [72], [116]]], [[[96], [47], [77]], [[16], [-27], [-26]], [[-25], [-27], [-101]]], [[[-4], [35], [-25]], [[-112], [-79], [-110]], [[125], [-74], [-15]]], [[[-86], [-99], [-40]], [[26], [-114], [-101]], [[-127], [18], [-89]]], [[[10], [-102], [115]], [[-34], [30], [-121]], [[-109], [96], [-74]]]]> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<[[[[1, 0, -1, 1, 0, 0, 1, 0, 0, -1, -1, 0, 0, 0, 0, 0]]], [[[-1, -1, -1, 1, 0, 1, 0, 0, 1, -1, 1, -1, -1, 1, 0, -1]]], [[[1, 1, -1, 1, 0, 1, -1, 1, 0, 1, 0, -1, 0, -1, 1, 1]]], [[[1, 0, 1, -1, 1, -1, -1, 0, 1, -1, -1, 1, 0, 0, 1, -1]]], [[[-1, 0, 0, 0, -1, 1, 1, 0, 0, 1, 0, 0, -1, -1, -1, -1]]], [[[0, -1, 0, -1, 0, 1, 1, -1, 0, 1, 0, 1, -1, 1, -1, 0]]], [[[1, -1, 0, -1, 0, 1, 0, -1, 1, 0, 0, 0, 1, -1, 1, -1]]], [[[-1, -1, -1, -1, 1, 0, 1, -1, 1, 1, 0, 1, 0, -1, 1, 1]]]]> : tensor<8x1x1x16xi8>
  %e = prom.conv2d %x, %we stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1
         input(0.05, 2) weight_scales [0.0015, 0.0016, 0.0017, 0.0018, 0.0019, 0.0020, 0.0021, 0.0022, 0.0023, 0.0024, 0.0025, 0.0026, 0.0027, 0.0028, 0.0029, 0.0030] output(0.02, -128) clamp [-128, 60]
         : (tensor<1x12x11x8xi8>, tensor<16x1x1x8xi8>) -> tensor<1x12x11x16xi8>
  %d = prom.conv2d %e, %wd stride [2, 2] pad [0, 1, 1, 0] dilation [1, 1] groups 16
         input(0.02, -128) weight_scales [0.0025, 0.0024, 0.0023, 0.0022, 0.0021, 0.0020, 0.0019, 0.0018, 0.0017, 0.0016, 0.0015, 0.0014, 0.0013, 0.0012, 0.0011, 0.0010] output(0.01, -5) clamp [-128, 90]
         : (tensor<1x12x11x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x5x16xi8>
  %p = prom.ternary_conv2d %d, %wp stride [1, 1] input(0.01, -5)
         weight_scales [0.040, 0.042, 0.044, 0.046, 0.048, 0.050, 0.052, 0.054] output(0.002, 1)
         : (tensor<1x6x5x16xi8>, tensor<8x1x1x16xi8>) -> tensor<1x6x5x8xi8>
  return %p : tensor<1x6x5x8xi8>
}
