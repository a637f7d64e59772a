// RUN: prom-opt %s | prom-opt | FileCheck %s
// RUN: prom-opt %s --mlir-print-op-generic | prom-opt | FileCheck %s

// CHECK-LABEL: func @quantize_per_tensor
func.func @quantize_per_tensor(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xi8> {
  // CHECK: prom.quantize %{{.*}} scales [2.000000e-02] zero_points [-3] : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xi8>
  %q = prom.quantize %x scales [2.0e-02] zero_points [-3] : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xi8>
  return %q : tensor<1x8x8x4xi8>
}

// CHECK-LABEL: func @quantize_per_axis
func.func @quantize_per_axis(%x: tensor<2x3x3x4xf32>) -> tensor<2x3x3x4xi8> {
  // CHECK: prom.quantize %{{.*}} scales [1.000000e-01, 2.000000e-01] zero_points [0, 1] axis 0 :
  %q = prom.quantize %x scales [0.1, 0.2] zero_points [0, 1] axis 0 : tensor<2x3x3x4xf32> -> tensor<2x3x3x4xi8>
  return %q : tensor<2x3x3x4xi8>
}

// CHECK-LABEL: func @quantize_dynamic
func.func @quantize_dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xi8> {
  // CHECK: prom.quantize %{{.*}} scales [5.000000e-01] zero_points [0] : tensor<?x4xf32> -> tensor<?x4xi8>
  %q = prom.quantize %x scales [0.5] zero_points [0] : tensor<?x4xf32> -> tensor<?x4xi8>
  return %q : tensor<?x4xi8>
}

// CHECK-LABEL: func @dequantize
func.func @dequantize(%q: tensor<1x1000xi8>, %p: tensor<1x2xi8>) -> (tensor<1x1000xf32>, tensor<1x2xf32>) {
  // CHECK: prom.dequantize %{{.*}} scales [2.500000e-01] zero_points [-128] : tensor<1x1000xi8> -> tensor<1x1000xf32>
  %x = prom.dequantize %q scales [0.25] zero_points [-128] : tensor<1x1000xi8> -> tensor<1x1000xf32>
  // CHECK: prom.dequantize %{{.*}} scales [2.500000e-01, 5.000000e-01] zero_points [0, 0] axis 1 :
  %y = prom.dequantize %p scales [0.25, 0.5] zero_points [0, 0] axis 1 : tensor<1x2xi8> -> tensor<1x2xf32>
  return %x, %y : tensor<1x1000xf32>, tensor<1x2xf32>
}

// CHECK-LABEL: func @conv_dense
func.func @conv_dense(%x: tensor<1x7x7x4xi8>, %w: tensor<2x3x3x4xi8>, %b: tensor<2xi32>) -> tensor<1x4x4x2xi8> {
  // CHECK: prom.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 1
  // CHECK-SAME: input(2.000000e-02, -128) weight_scales [0.00999999977, 3.000000e-02] output(5.000000e-02, 3)
  // CHECK-SAME: clamp [0, 127] : (tensor<1x7x7x4xi8>, tensor<2x3x3x4xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi8>
  %y = prom.conv2d %x, %w, %b stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 1
         input(2.0e-02, -128) weight_scales [1.0e-02, 3.0e-02] output(5.0e-02, 3) clamp [0, 127]
         : (tensor<1x7x7x4xi8>, tensor<2x3x3x4xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi8>
  return %y : tensor<1x4x4x2xi8>
}

// CHECK-LABEL: func @conv_depthwise_no_bias
func.func @conv_depthwise_no_bias(%x: tensor<1x8x8x2xi8>, %w: tensor<4x3x3x1xi8>) -> tensor<1x4x4x4xi8> {
  // Depthwise with channel multiplier 2, dilation 2, asymmetric padding.
  // CHECK: prom.conv2d %{{.*}}, %{{.*}} stride [2, 2] pad [2, 1, 2, 1] dilation [2, 2] groups 2
  // CHECK-NOT: clamp
  // CHECK-SAME: : (tensor<1x8x8x2xi8>, tensor<4x3x3x1xi8>) -> tensor<1x4x4x4xi8>
  %y = prom.conv2d %x, %w stride [2, 2] pad [2, 1, 2, 1] dilation [2, 2] groups 2
         input(1.0, 0) weight_scales [0.5, 0.5, 0.25, 0.25] output(1.0, 0)
         : (tensor<1x8x8x2xi8>, tensor<4x3x3x1xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

// CHECK-LABEL: func @conv_dynamic_batch
func.func @conv_dynamic_batch(%x: tensor<?x8x8x2xi8>, %w: tensor<2x1x1x2xi8>) -> tensor<?x8x8x2xi8> {
  // CHECK: prom.conv2d {{.*}} : (tensor<?x8x8x2xi8>, tensor<2x1x1x2xi8>) -> tensor<?x8x8x2xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1
         input(1.0, 0) weight_scales [0.5, 0.5] output(1.0, 0)
         : (tensor<?x8x8x2xi8>, tensor<2x1x1x2xi8>) -> tensor<?x8x8x2xi8>
  return %y : tensor<?x8x8x2xi8>
}

// CHECK-LABEL: func @ternary
func.func @ternary(%x: tensor<1x8x8x3xi8>, %b: tensor<2xi32>) -> tensor<1x4x4x2xi8> {
  // CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1, 0, -1]]], {{\[}}{{\[}}[0, -1, 1]]]]> : tensor<2x1x1x3xi8>
  %w = arith.constant dense<[[[[1, 0, -1]]], [[[0, -1, 1]]]]> : tensor<2x1x1x3xi8>
  // CHECK: prom.ternary_conv2d %{{.*}}, %[[W]], %{{.*}} stride [2, 2] input(2.000000e-02, -128)
  // CHECK-SAME: weight_scales [3.125000e-02, 2.500000e-01] output(5.000000e-02, 3) clamp [-128, 100]
  %y = prom.ternary_conv2d %x, %w, %b stride [2, 2] input(2.0e-02, -128)
         weight_scales [3.125e-02, 0.25] output(5.0e-02, 3) clamp [-128, 100]
         : (tensor<1x8x8x3xi8>, tensor<2x1x1x3xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi8>
  return %y : tensor<1x4x4x2xi8>
}

// CHECK-LABEL: func @ternary_runtime_weights
func.func @ternary_runtime_weights(%x: tensor<1x8x8x3xi8>, %w: tensor<2x1x1x3xi8>) -> tensor<1x8x8x2xi8> {
  // CHECK: prom.ternary_conv2d %{{.*}}, %{{.*}} stride [1, 1]
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0)
         : (tensor<1x8x8x3xi8>, tensor<2x1x1x3xi8>) -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// CHECK-LABEL: func @bitwidth_attr
// CHECK: prom.plan = #prom.bitwidth<ternary>
func.func @bitwidth_attr() attributes {prom.plan = #prom.bitwidth<ternary>} {
  return
}

// CHECK-LABEL: func @fully_connected
func.func @fully_connected(%x: tensor<1x16xi8>, %w: tensor<10x16xi8>, %b: tensor<10xi32>) -> (tensor<1x10xi8>, tensor<1x10xi8>) {
  // CHECK: prom.fully_connected %{{.*}}, %{{.*}}, %{{.*}} input(2.000000e-02, -128) weight_scales [{{.*}}] output(1.000000e-01, 0) : (tensor<1x16xi8>, tensor<10x16xi8>, tensor<10xi32>) -> tensor<1x10xi8>
  %y = prom.fully_connected %x, %w, %b input(2.0e-02, -128) weight_scales [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] output(0.1, 0)
         : (tensor<1x16xi8>, tensor<10x16xi8>, tensor<10xi32>) -> tensor<1x10xi8>
  // CHECK: prom.fully_connected %{{.*}}, %{{.*}} input(2.000000e-02, -128) weight_scales [{{.*}}] output(1.000000e-01, 0) clamp [0, 127] : (tensor<1x16xi8>, tensor<10x16xi8>) -> tensor<1x10xi8>
  %z = prom.fully_connected %x, %w input(2.0e-02, -128) weight_scales [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] output(0.1, 0) clamp [0, 127]
         : (tensor<1x16xi8>, tensor<10x16xi8>) -> tensor<1x10xi8>
  return %y, %z : tensor<1x10xi8>, tensor<1x10xi8>
}

// CHECK-LABEL: func @rescale
func.func @rescale(%acc: tensor<1x4x4x2xi32>, %x: tensor<1x4x4x2xi8>) -> (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) {
  // CHECK: prom.rescale %{{.*}} input_zp 0 scales [1.500000e-03] output_zp -5 : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
  %a = prom.rescale %acc input_zp 0 scales [1.5e-03] output_zp -5 : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
  // CHECK: prom.rescale %{{.*}} input_zp -128 scales [5.000000e-01, 2.500000e-01] axis 3 output_zp 3 clamp [0, 100] : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
  %b = prom.rescale %x input_zp -128 scales [0.5, 0.25] axis 3 output_zp 3 clamp [0, 100] : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
  return %a, %b : tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>
}

// CHECK-LABEL: func @add
func.func @add(%a: tensor<1x4x4x2xi8>, %b: tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8> {
  // CHECK: prom.add %{{.*}}, %{{.*}} lhs(2.000000e-02, 3) rhs(3.000000e-02, -1) output(4.000000e-02, 0) : tensor<1x4x4x2xi8>
  %y = prom.add %a, %b lhs(2.0e-02, 3) rhs(3.0e-02, -1) output(4.0e-02, 0) : tensor<1x4x4x2xi8>
  return %y : tensor<1x4x4x2xi8>
}

// CHECK-LABEL: func @clamp_table
func.func @clamp_table(%x: tensor<3x5xi8>) -> tensor<3x5xi8> {
  // CHECK: prom.clamp %{{.*}} min -128 max 20 : tensor<3x5xi8>
  %c = prom.clamp %x min -128 max 20 : tensor<3x5xi8>
  // CHECK: prom.table %{{.*}} [0, 1, 2, {{.*}}, 0, 1, 2, 3] : tensor<3x5xi8>
  %t = prom.table %c [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3] : tensor<3x5xi8>
  return %t : tensor<3x5xi8>
}

// CHECK-LABEL: func @pools
func.func @pools(%x: tensor<1x7x7x16xi8>) -> (tensor<1x1x1x16xi8>, tensor<1x4x4x16xi8>) {
  // CHECK: prom.avg_pool2d %{{.*}} kernel [7, 7] stride [1, 1] pad [0, 0, 0, 0] input(2.000000e-02, -128) output(0.00999999977, -128) : tensor<1x7x7x16xi8> -> tensor<1x1x1x16xi8>
  %g = prom.avg_pool2d %x kernel [7, 7] stride [1, 1] pad [0, 0, 0, 0] input(2.0e-02, -128) output(1.0e-02, -128) : tensor<1x7x7x16xi8> -> tensor<1x1x1x16xi8>
  // CHECK: prom.avg_pool2d %{{.*}} kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] count_include_pad input(2.000000e-02, 0) output(2.000000e-02, 0) clamp [0, 127] : tensor<1x7x7x16xi8> -> tensor<1x4x4x16xi8>
  %p = prom.avg_pool2d %x kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] count_include_pad input(2.0e-02, 0) output(2.0e-02, 0) clamp [0, 127] : tensor<1x7x7x16xi8> -> tensor<1x4x4x16xi8>
  return %g, %p : tensor<1x1x1x16xi8>, tensor<1x4x4x16xi8>
}

// CHECK-LABEL: func @concat
func.func @concat(%a: tensor<1x8x8x16xi8>, %b: tensor<1x8x8x8xi8>) -> tensor<1x8x8x24xi8> {
  // CHECK: prom.concat %{{.*}}, %{{.*}} axis 3 : (tensor<1x8x8x16xi8>, tensor<1x8x8x8xi8>) -> tensor<1x8x8x24xi8>
  %y = prom.concat %a, %b axis 3 : (tensor<1x8x8x16xi8>, tensor<1x8x8x8xi8>) -> tensor<1x8x8x24xi8>
  return %y : tensor<1x8x8x24xi8>
}

// Scales keep every bit through print and parse: an f32 that needs nine
// digits and an f64 that needs seventeen.
// CHECK-LABEL: func @exact_scales
// CHECK: prom.quantize %{{.*}} scales [0.0390829593] zero_points [0]
// CHECK: prom.rescale %{{.*}} input_zp 0 scales [0.12345678901234568] output_zp 0
func.func @exact_scales(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = prom.quantize %x scales [0.0390829592943191528] zero_points [0] : tensor<4xf32> -> tensor<4xi8>
  %r = prom.rescale %q input_zp 0 scales [0.1234567890123456789] output_zp 0 : tensor<4xi8> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// HASTE: the bucket count is an index value and the merged channel
// dimension is dynamic.
// CHECK-LABEL: func @haste
// CHECK: %[[B:.*]], %[[N:.*]] = prom.haste_buckets %{{.*}}, %{{.*}} : tensor<1x4x4x8xf32>, tensor<3x16xi8> -> tensor<8xindex>
// CHECK: prom.merge_channels %{{.*}}, %[[B]], %[[N]] average : tensor<1x4x4x8xf32>, tensor<8xindex> -> tensor<1x4x4x?xf32>
// CHECK: prom.merge_channels %{{.*}}, %[[B]], %[[N]] : tensor<2x3x3x8xf32>, tensor<8xindex> -> tensor<2x3x3x?xf32>
// CHECK: prom.merge_channels %{{.*}}, %[[B]], %[[N]] along 2 : tensor<3x3x8x2xi8>, tensor<8xindex> -> tensor<3x3x?x2xi16>
func.func @haste(%x: tensor<1x4x4x8xf32>, %p: tensor<3x16xi8>, %w: tensor<2x3x3x8xf32>, %h: tensor<3x3x8x2xi8>) -> (tensor<1x4x4x?xf32>, tensor<2x3x3x?xf32>, tensor<3x3x?x2xi16>) {
  %b, %n = prom.haste_buckets %x, %p : tensor<1x4x4x8xf32>, tensor<3x16xi8> -> tensor<8xindex>
  %xm = prom.merge_channels %x, %b, %n average : tensor<1x4x4x8xf32>, tensor<8xindex> -> tensor<1x4x4x?xf32>
  %wm = prom.merge_channels %w, %b, %n : tensor<2x3x3x8xf32>, tensor<8xindex> -> tensor<2x3x3x?xf32>
  %hm = prom.merge_channels %h, %b, %n along 2 : tensor<3x3x8x2xi8>, tensor<8xindex> -> tensor<3x3x?x2xi16>
  return %xm, %wm, %hm : tensor<1x4x4x?xf32>, tensor<2x3x3x?xf32>, tensor<3x3x?x2xi16>
}
