// Two pointwise convs on the same input: "exact" has weights that are
// already ternary ({-a, 0, +a} per channel), "spread" has weights that TWN
// must round.
func.func @main(%x: tensor<1x1x1x4xf32>) -> (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>) {
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %we = "tosa.const"() <{values = dense<[[[[0.5, -0.5, 0.0, 0.5]]], [[[0.2, 0.0, -0.2, 0.2]]], [[[1.0, 1.0, -1.0, 0.0]]], [[[0.0, 0.3, 0.3, -0.3]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %ws = "tosa.const"() <{values = dense<[[[[0.1, -0.2, 0.3, -0.4]]], [[[0.4, 0.3, -0.2, 0.1]]], [[[-0.1, 0.2, 0.3, 0.4]]], [[[0.25, -0.35, 0.15, 0.05]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %0 = tosa.conv2d %x, %we, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32> loc("exact")
  %1 = tosa.conv2d %x, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32> loc("spread")
  return %0, %1 : tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>
}
