// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-outline-layers --split-input-file | FileCheck %s

// Each op with a kernel moves into a function of its own, named after its
// layer. The weights it reads (a constant, and a reshape of one) are cloned
// inside, where its kernel matches them, and leave the caller; other
// operands become arguments. The function stays out of line and says what
// the layer is.
// CHECK-LABEL: func.func @model
// CHECK-NOT:     arith.constant
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         %[[C:.+]] = call @layer_conv1(%arg0) : (tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
// CHECK:         %[[A:.+]] = call @layer_add(%arg0, %[[C]])
// CHECK:         %[[F:.+]] = call @layer_fully_connected
// CHECK-NOT:     prom.
// CHECK:         return %[[A]], %[[F]]
// CHECK-LABEL: func.func private @layer_conv1
// CHECK-SAME:    passthrough = ["noinline"]
// CHECK-SAME:    prom.layer = {kernel = "pointwise_dot avx512-vnni {{.+}}", macs = 4096 : i64, name = "conv1", op = "prom.conv2d", type = "tensor<1x4x4x16xi8>"}
// CHECK:         arith.constant dense<1> : tensor<16x1x1x16xi8>
// CHECK:         prom.conv2d
// CHECK:         return
// CHECK-LABEL: func.func private @layer_add
// CHECK-SAME:    (%{{.+}}: tensor<1x4x4x16xi8>, %{{.+}}: tensor<1x4x4x16xi8>)
// CHECK-SAME:    macs = 0 : i64, name = "add"
// CHECK:         prom.add
// The classifier has no name: its function is named after the op.
// CHECK-LABEL: func.func private @layer_fully_connected
// CHECK-SAME:    macs = 160 : i64, name = "", op = "prom.fully_connected"
// CHECK:         arith.constant dense<2> : tensor<10x1x16xi8>
// CHECK:         tensor.collapse_shape
// CHECK:         prom.fully_connected
func.func @model(%x: tensor<1x4x4x16xi8>, %v: tensor<1x16xi8>) -> (tensor<1x4x4x16xi8>, tensor<1x10xi8>) {
  %w = arith.constant dense<1> : tensor<16x1x1x16xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi8> loc("conv1")
  %s = prom.add %x, %y lhs(0.05, 0) rhs(0.1, 0) output(0.1, 0) : tensor<1x4x4x16xi8> loc("add")
  %w3 = arith.constant dense<2> : tensor<10x1x16xi8>
  %wfc = tensor.collapse_shape %w3 [[0, 1], [2]] : tensor<10x1x16xi8> into tensor<10x16xi8>
  %f = prom.fully_connected %v, %wfc input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x16xi8>, tensor<10x16xi8>) -> tensor<1x10xi8>
  return %s, %f : tensor<1x4x4x16xi8>, tensor<1x10xi8>
}

// -----

// Private functions (an already outlined layer) and ops without a kernel
// stay as they are.
// CHECK-LABEL: func.func private @helper
// CHECK:         prom.add
// CHECK-LABEL: func.func @caller
// CHECK:         tensor.collapse_shape
// CHECK:         call @helper
func.func private @helper(%x: tensor<1x16xi8>) -> tensor<1x16xi8> {
  %s = prom.add %x, %x lhs(0.05, 0) rhs(0.05, 0) output(0.1, 0) : tensor<1x16xi8>
  return %s : tensor<1x16xi8>
}
func.func @caller(%x: tensor<1x1x16xi8>) -> tensor<1x16xi8> {
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x1x16xi8> into tensor<1x16xi8>
  %r = call @helper(%c) : (tensor<1x16xi8>) -> tensor<1x16xi8>
  return %r : tensor<1x16xi8>
}

// -----

// Quantizes and dequantizes stay in the caller, next to the float ops that
// linalg fuses them with.
// CHECK-LABEL: func.func @glue
// CHECK:         prom.dequantize
// CHECK:         tosa.clamp
// CHECK:         prom.quantize
// CHECK:         call @layer_conv
// CHECK-NOT:     func.func private @layer_{{.*}}quantize
func.func @glue(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %d = prom.dequantize %x scales [0.5] zero_points [0] : tensor<1x4x4x16xi8> -> tensor<1x4x4x16xf32>
  %c = tosa.clamp %d {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %q = prom.quantize %c scales [0.05] zero_points [0] : tensor<1x4x4x16xf32> -> tensor<1x4x4x16xi8>
  %w = arith.constant dense<1> : tensor<16x1x1x16xi8>
  %y = prom.conv2d %q, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi8> loc("conv")
  return %y : tensor<1x4x4x16xi8>
}

// -----

// A clamp that a float kernel computes (its epilogue) moves into the
// kernel's function with it; the caller gets the clamped result.
// CHECK-LABEL: func.func @epilogue
// CHECK:         %[[Y:.+]] = call @layer_depthwise_conv2d(%arg0)
// CHECK-NOT:     tosa.
// CHECK:         return %[[Y]]
// CHECK-LABEL: func.func private @layer_depthwise_conv2d
// CHECK-SAME:    kernel = "float_depthwise_vector avx512-vnni 4"
// CHECK:         %[[D:.+]] = tosa.depthwise_conv2d
// CHECK:         %[[C:.+]] = tosa.clamp %[[D]] {{.*}}kind = epilogue
// CHECK:         return %[[C]]
func.func @epilogue(%x: tensor<1x4x6x16xf32>) -> tensor<1x4x6x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x16x1xf32>} : () -> tensor<3x3x16x1xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x6x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6x16xf32>
  %z = tosa.clamp %y {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x6x16xf32>) -> tensor<1x4x6x16xf32>
  return %z : tensor<1x4x6x16xf32>
}
