// A 1x1 conv with weight 1 over 1001 pixels of one channel: its input
// range is what the calibration file holds.
func.func @main(%x: tensor<1x1x1001x1xf32>) -> tensor<1x1x1001x1xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.bitwidth = #prom.bitwidth<int8>, stride = array<i64: 1, 1>} : (tensor<1x1x1001x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1001x1xf32>
  return %y : tensor<1x1x1001x1xf32>
}
