// RUN: prom-opt %s --convert-prom-to-linalg -split-input-file | FileCheck %s

// A grouped 3x3 conv: the input is padded with its zero point, the
// accumulator starts at the bias, the reduction follows numerics.md, and the
// requantization uses per-channel fixed-point constants.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4 * 2, d2 * 2 + d5, (d3 floordiv 2) * 3 + d6)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d4, d5, d6)>
// CHECK-DAG: #[[ACC:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @conv_grouped
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x6xi8>, %[[WT:.*]]: tensor<4x3x3x3xi8>, %[[B:.*]]: tensor<4xi32>)
// CHECK: %[[ZP:.*]] = arith.constant -128 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 2, 1, 0] high[0, 2, 1, 0]
// CHECK:   tensor.yield %[[ZP]] : i8
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<4xi32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[ACC]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[WT]] : tensor<1x10x8x6xi8>, tensor<4x3x3x3xi8>) outs(%[[BIAS]] : tensor<1x3x3x4xi32>)
// CHECK:   %[[XW:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK:   %[[XC:.*]] = arith.subi %[[XW]], %{{.*}} : i32
// CHECK:   %[[WW:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK:   %[[P:.*]] = arith.muli %[[XC]], %[[WW]] : i32
// CHECK:   arith.addi %{{.*}}, %[[P]] : i32
// Scales 0.5 * 0.25 / 1 = 2^-3 and 0.5 * 0.75 / 1: multipliers 2^30 and 0.75 * 2^31.
// CHECK: %[[M:.*]] = arith.constant dense<[1073741824, 1073741824, 1610612736, 1610612736]> : tensor<4xi32>
// CHECK: %[[S:.*]] = arith.constant dense<[33, 33, 32, 32]> : tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[M]], %[[S]] : tensor<1x3x3x4xi32>, tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<1x3x3x4xi8>)
// CHECK:   arith.muli %{{.*}}, %{{.*}} : i64
// CHECK:   arith.shrsi
// CHECK:   arith.maxsi %{{.*}}, %{{.*}} : i64
// CHECK:   arith.minsi %{{.*}}, %{{.*}} : i64
// CHECK:   arith.trunci %{{.*}} : i64 to i8
func.func @conv_grouped(%x: tensor<1x6x6x6xi8>, %w: tensor<4x3x3x3xi8>, %b: tensor<4xi32>) -> tensor<1x3x3x4xi8> {
  %y = prom.conv2d %x, %w, %b stride [2, 2] pad [2, 2, 1, 1] dilation [2, 1] groups 2
         input(0.5, -128) weight_scales [0.25, 0.25, 0.75, 0.75] output(1.0, 0) clamp [0, 127]
         : (tensor<1x6x6x6xi8>, tensor<4x3x3x3xi8>, tensor<4xi32>) -> tensor<1x3x3x4xi8>
  return %y : tensor<1x3x3x4xi8>
}

// -----

// No padding, no bias: no tensor.pad, a zero-filled accumulator; ungrouped
// channels index the input directly.
// CHECK-DAG: #[[IN1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d6)>
// CHECK-LABEL: func @ternary
// CHECK-NOT: tensor.pad
// CHECK: linalg.fill ins(%{{.*}} : i32)
// CHECK: linalg.generic {indexing_maps = [#[[IN1]],
func.func @ternary(%x: tensor<1x4x4x3xi8>) -> tensor<1x4x4x2xi8> {
  %w = arith.constant dense<[[[[1, 0, -1]]], [[[0, -1, 1]]]]> : tensor<2x1x1x3xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0)
         : (tensor<1x4x4x3xi8>, tensor<2x1x1x3xi8>) -> tensor<1x4x4x2xi8>
  return %y : tensor<1x4x4x2xi8>
}

// -----

// CHECK-LABEL: func @fully_connected
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x5xi8>, tensor<3x5xi8>) outs(%{{.*}} : tensor<2x3xi32>)
func.func @fully_connected(%x: tensor<2x5xi8>, %w: tensor<3x5xi8>) -> tensor<2x3xi8> {
  %y = prom.fully_connected %x, %w input(1.0, 3) weight_scales [0.5, 0.5, 0.5] output(1.0, 0)
         : (tensor<2x5xi8>, tensor<3x5xi8>) -> tensor<2x3xi8>
  return %y : tensor<2x3xi8>
}


// -----

// Batch, height and width may be dynamic (a tile of a tiled convolution):
// the output's sizes come from the input's, (in + pads - window) / stride + 1.
// CHECK-LABEL: func @conv_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x?x3xi8>
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 0, 0] high[0, 0, 0, 0]
// CHECK: } : tensor<?x?x?x3xi8> to tensor<?x?x?x3xi8>
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[HR:.*]] = arith.addi %[[H]], %c-2
// CHECK: %[[HS:.*]] = arith.divui %[[HR]], %c2
// CHECK: %[[OH:.*]] = arith.addi %[[HS]], %{{.*}}
// CHECK: %[[W:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[WR:.*]] = arith.addi %[[W]], %c-3
// CHECK: %[[WS:.*]] = arith.divui %[[WR]], %{{.*}}
// CHECK: %[[OW:.*]] = arith.addi %[[WS]], %{{.*}}
// CHECK: tensor.empty(%[[N]], %[[OH]], %[[OW]]) : tensor<?x?x?x2xi32>
// CHECK: linalg.generic {{.*}} ins(%[[PAD]], %{{.*}} : tensor<?x?x?x3xi8>, tensor<2x3x3x3xi8>)
// CHECK: tensor.empty(%{{.*}}, %{{.*}}, %{{.*}}) : tensor<?x?x?x2xi8>
func.func @conv_dynamic(%x: tensor<?x?x?x3xi8>, %w: tensor<2x3x3x3xi8>) -> tensor<?x?x?x2xi8> {
  %y = prom.conv2d %x, %w stride [2, 1] pad [1, 0, 0, 0] dilation [1, 1] groups 1 input(0.5, 0) weight_scales [0.25, 0.25] output(1.0, 0)
         : (tensor<?x?x?x3xi8>, tensor<2x3x3x3xi8>) -> tensor<?x?x?x2xi8>
  return %y : tensor<?x?x?x2xi8>
}
