// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-float-conv-vector -verify-diagnostics

// An epilogue written by hand that the kernel cannot compute (an add that
// broadcasts its addend): the kernel fails on its producer, naming it,
// instead of reading past the addend.
func.func @broadcast_addend(%x: tensor<1x2x4x16xf32>, %r: tensor<1x1x1x16xf32>) -> tensor<1x2x4x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<16x1x1x16xf32>} : () -> tensor<16x1x1x16xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{prom-float-conv-vector: the selected kernel float_conv_vector does not apply to this op}}
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x16xf32>, tensor<16x1x1x16xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x16xf32>
  %s = tosa.add %y, %r {prom.kernel = #prom.kernel<kind = epilogue>} : (tensor<1x2x4x16xf32>, tensor<1x1x1x16xf32>) -> tensor<1x2x4x16xf32>
  return %s : tensor<1x2x4x16xf32>
}
