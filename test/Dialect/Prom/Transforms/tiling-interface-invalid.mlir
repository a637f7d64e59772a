// Tiles a convolution cannot take are refused with the reason, on the op.
// RUN: prom-opt %s --transform-interpreter --split-input-file --verify-diagnostics

func.func @channels(%x: tensor<1x4x4x8xi8>, %w: tensor<4x1x1x8xi8>) -> tensor<1x4x4x4xi8> {
  // expected-error @below {{can be tiled over batch, rows and columns only: its per-channel scales are attributes}}
  // expected-error @below {{failed to generate tiling loops}}
  // expected-error @below {{to tile operation}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1
         input(0.1, 0) weight_scales [0.1, 0.1, 0.1, 0.1] output(0.1, 0)
         : (tensor<1x4x4x8xi8>, tensor<4x1x1x8xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    %conv = transform.structured.match ops{["prom.conv2d"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:2 = transform.structured.tile_using_for %conv tile_sizes [1, 0, 0, 2]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

func.func @all_padding(%x: tensor<1x4x4x8xi8>, %w: tensor<8x1x1x1xi8>) -> tensor<1x6x4x8xi8> {
  // expected-error @below {{cannot be tiled: its padding is as wide as its window, so some outputs read no input}}
  // expected-error @below {{failed to generate tiling loops}}
  // expected-error @below {{to tile operation}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [1, 1, 0, 0] dilation [1, 1] groups 8
         input(0.1, 0) weight_scales [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] output(0.1, 0)
         : (tensor<1x4x4x8xi8>, tensor<8x1x1x1xi8>) -> tensor<1x6x4x8xi8>
  return %y : tensor<1x6x4x8xi8>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    %conv = transform.structured.match ops{["prom.conv2d"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:2 = transform.structured.tile_using_for %conv tile_sizes [1, 2]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}
