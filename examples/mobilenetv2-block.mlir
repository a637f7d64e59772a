// One inverted-residual block of MobileNetV2 (features.3: 24 -> 144 -> 24
// channels at 56x56 in the real network, 8x8 here) followed by a tiny
// classifier, in float TOSA, NHWC, as an importer hands it to prom.
// Weights are function arguments to keep the example small.
//
//   prom-opt examples/mobilenetv2-block.mlir --prom-assign-bitwidths
func.func @block(%x: tensor<1x8x8x24xf32>,
                 %w_expand: tensor<144x1x1x24xf32>, %b_expand: tensor<144xf32>,
                 %w_dw: tensor<3x3x144x1xf32>, %b_dw: tensor<144xf32>,
                 %w_project: tensor<24x1x1x144xf32>, %b_project: tensor<24xf32>,
                 %w_fc: tensor<1x24x10xf32>) -> tensor<1x1x10xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %e = tosa.conv2d %x, %w_expand, %b_expand, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x24xf32>, tensor<144x1x1x24xf32>, tensor<144xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x144xf32> loc("features.3.conv.0.0")
  %e6 = tosa.clamp %e {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8x8x144xf32>) -> tensor<1x8x8x144xf32> loc("features.3.conv.0.2")
  %d = tosa.depthwise_conv2d %e6, %w_dw, %b_dw, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x144xf32>, tensor<3x3x144x1xf32>, tensor<144xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x144xf32> loc("features.3.conv.1.0")
  %d6 = tosa.clamp %d {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8x8x144xf32>) -> tensor<1x8x8x144xf32> loc("features.3.conv.1.2")
  %p = tosa.conv2d %d6, %w_project, %b_project, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x144xf32>, tensor<24x1x1x144xf32>, tensor<24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x24xf32> loc("features.3.conv.2")
  %r = tosa.add %x, %p : (tensor<1x8x8x24xf32>, tensor<1x8x8x24xf32>) -> tensor<1x8x8x24xf32> loc("features.3.add")
  %pool = tosa.avg_pool2d %r, %zp, %zp {acc_type = f32, kernel = array<i64: 8, 8>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x24xf32> loc("pool")
  %shape = tosa.const_shape {values = dense<[1, 1, 24]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %flat = tosa.reshape %pool, %shape : (tensor<1x1x1x24xf32>, !tosa.shape<3>) -> tensor<1x1x24xf32>
  %logits = tosa.matmul %flat, %w_fc, %zp, %zp : (tensor<1x1x24xf32>, tensor<1x24x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x10xf32> loc("classifier.1")
  return %logits : tensor<1x1x10xf32>
}
