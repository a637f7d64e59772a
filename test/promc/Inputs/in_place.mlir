// A function that updates its argument in place (linalg on tensors, as
// another compiler may hand it over): promc's entry point must still only
// read the caller's input buffer.
func.func @add_one(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> {
  %y = linalg.generic {
      indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%x : tensor<1x3x8x8xf32>) {
  ^bb0(%v: f32):
    %one = arith.constant 1.0 : f32
    %s = arith.addf %v, %one : f32
    linalg.yield %s : f32
  } -> tensor<1x3x8x8xf32>
  return %y : tensor<1x3x8x8xf32>
}
