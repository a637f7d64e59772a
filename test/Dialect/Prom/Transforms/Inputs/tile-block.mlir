// Tiles each function's last convolution over batch (1), rows (2) and
// columns (3), and fuses its producers into the loops.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    %last = transform.structured.match ops{["prom.ternary_conv2d"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:3 = transform.structured.fuse %last tile_sizes [1, 2, 3]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op,
          !transform.any_op)
    transform.yield
  }
}
