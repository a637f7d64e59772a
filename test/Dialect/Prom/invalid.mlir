// RUN: prom-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// prom.quantize / prom.dequantize
//===----------------------------------------------------------------------===//

func.func @scales_zps_length(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects 'scales' and 'zero_points' of equal length, got 2 and 1}}
  %q = prom.quantize %x scales [0.5, 0.5] zero_points [0] axis 0 : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @per_tensor_two_scales(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects one scale and zero point without 'axis', got 2}}
  %q = prom.quantize %x scales [0.5, 0.5] zero_points [0, 0] : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{expects 'axis' to name a dimension of the ranked operand, got 2}}
  %q = prom.quantize %x scales [0.5, 0.5] zero_points [0, 0] axis 2 : tensor<2x4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @axis_negative(%q: tensor<2x4xi8>) {
  // expected-error @+1 {{expects 'axis' to name a dimension of the ranked operand, got -1}}
  %x = prom.dequantize %q scales [0.5, 0.5] zero_points [0, 0] axis -1 : tensor<2x4xi8> -> tensor<2x4xf32>
  return
}

// -----

func.func @axis_unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{expects 'axis' to name a dimension of the ranked operand, got 0}}
  %q = prom.quantize %x scales [0.5] zero_points [0] axis 0 : tensor<*xf32> -> tensor<*xi8>
  return
}

// -----

func.func @axis_size(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{expects one scale per index of axis 0 (2), got 3}}
  %q = prom.quantize %x scales [0.5, 0.5, 0.5] zero_points [0, 0, 0] axis 0 : tensor<2x4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @zero_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects every value of 'scales' to be positive and finite, got 0.000000e+00 at index 0}}
  %q = prom.quantize %x scales [0.0] zero_points [0] : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @negative_scale(%q: tensor<2x4xi8>) {
  // expected-error @+1 {{expects every value of 'scales' to be positive and finite, got -2.500000e-01 at index 1}}
  %x = prom.dequantize %q scales [0.5, -0.25] zero_points [0, 0] axis 0 : tensor<2x4xi8> -> tensor<2x4xf32>
  return
}

// -----

func.func @zero_point_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects every zero point in [-128, 127], got 128 at index 0}}
  %q = prom.quantize %x scales [0.5] zero_points [128] : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @quantize_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{result #0 must be tensor of 8-bit signless integer values}}
  %q = prom.quantize %x scales [0.5] zero_points [0] : tensor<4xf32> -> tensor<4xi32>
  return
}

// -----

func.func @dequantize_operand_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{operand #0 must be tensor of 8-bit signless integer values}}
  %q = prom.dequantize %x scales [0.5] zero_points [0] : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %q = prom.quantize %x scales [0.5] zero_points [0] : tensor<4xf32> -> tensor<5xi8>
  return
}

//===----------------------------------------------------------------------===//
// prom.conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @conv_rank(%x: tensor<8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{operand #0 must be 4D tensor of 8-bit signless integer values}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_bias_type(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>, %b: tensor<2xi8>) {
  // expected-error @+1 {{operand #2 must be 1D tensor of 32-bit signless integer values}}
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_stride_size(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'stride' to have 2 elements, got 1}}
  %y = prom.conv2d %x, %w stride [1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects every value of 'stride' to be >= 1, got 0}}
  %y = prom.conv2d %x, %w stride [1, 0] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_pad_size(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'pad' to have 4 elements, got 2}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_pad_negative(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects every value of 'pad' to be >= 0, got -1}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, -1, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_dilation_size(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'dilation' to have 2 elements, got 3}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_dilation_zero(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects every value of 'dilation' to be >= 1, got 0}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [0, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_groups_zero(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'groups' >= 1, got 0}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 0 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_groups_input(%x: tensor<1x8x8x6xi8>, %w: tensor<4x1x1x1xi8>) {
  // expected-error @+1 {{expects input channels (6) to be divisible by groups (4)}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 4 input(1.0, 0) weight_scales [1.0, 1.0, 1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x6xi8>, tensor<4x1x1x1xi8>) -> tensor<1x8x8x4xi8>
  return
}

// -----

func.func @conv_weight_channels(%x: tensor<1x8x8x8xi8>, %w: tensor<4x3x3x3xi8>) {
  // expected-error @+1 {{expects weights of shape [Co, Kh, Kw, Ci / groups] with Ci / groups = 4, got 3}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 2 input(1.0, 0) weight_scales [1.0, 1.0, 1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x8xi8>, tensor<4x3x3x3xi8>) -> tensor<1x8x8x4xi8>
  return
}

// -----

func.func @conv_groups_output(%x: tensor<1x8x8x8xi8>, %w: tensor<6x1x1x2xi8>) {
  // expected-error @+1 {{expects output channels (6) to be divisible by groups (4)}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 4 input(1.0, 0) weight_scales [1.0, 1.0, 1.0, 1.0, 1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x8xi8>, tensor<6x1x1x2xi8>) -> tensor<1x8x8x6xi8>
  return
}

// -----

func.func @conv_weight_scales_count(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects one weight scale per output channel (2), got 1}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_output_channels(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 2 output channels (weights dim 0), got 3}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x3xi8>
  return
}

// -----

func.func @conv_batch(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects output batch 1, got 2}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<2x8x8x2xi8>
  return
}

// -----

func.func @conv_bias_size(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>, %b: tensor<3xi32>) {
  // expected-error @+1 {{expects bias of 2 elements (one per output channel), got 3}}
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>, tensor<3xi32>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_window_too_large(%x: tensor<1x3x8x4xi8>, %w: tensor<2x3x3x4xi8>) {
  // expected-error @+1 {{expects the height window (5) to fit the padded input (3)}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [2, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x3x8x4xi8>, tensor<2x3x3x4xi8>) -> tensor<1x1x6x2xi8>
  return
}

// -----

func.func @conv_output_height(%x: tensor<1x7x7x4xi8>, %w: tensor<2x3x3x4xi8>) {
  // expected-error @+1 {{expects output height 4 (input 7, kernel 3, stride 2, pad 1+1, dilation 1), got 3}}
  %y = prom.conv2d %x, %w stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x7x7x4xi8>, tensor<2x3x3x4xi8>) -> tensor<1x3x4x2xi8>
  return
}

// -----

func.func @conv_output_width(%x: tensor<1x7x7x4xi8>, %w: tensor<2x3x3x4xi8>) {
  // expected-error @+1 {{expects output width 3 (input 7, kernel 3, stride 2, pad 0+0, dilation 1), got 4}}
  %y = prom.conv2d %x, %w stride [2, 2] pad [1, 1, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x7x7x4xi8>, tensor<2x3x3x4xi8>) -> tensor<1x4x4x2xi8>
  return
}

// -----

func.func @conv_input_scale(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'input_scale' to be positive and finite, got -1.000000e+00}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(-1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_output_scale(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'output_scale' to be positive and finite, got 0.000000e+00}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(0.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_weight_scale(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects every value of 'weight_scales' to be positive and finite, got 0.000000e+00 at index 1}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 0.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_input_zp(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'input_zp' in [-128, 127], got -129}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, -129) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_output_zp(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'output_zp' in [-128, 127], got 300}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 300) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_clamp_size(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'clamp' as [min, max], got 1 elements}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) clamp [0] : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_clamp_order(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'clamp' with -128 <= min <= max <= 127, got [10, 5]}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) clamp [10, 5] : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @conv_clamp_range(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects 'clamp' with -128 <= min <= max <= 127, got [0, 255]}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) clamp [0, 255] : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

//===----------------------------------------------------------------------===//
// prom.ternary_conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @ternary_kernel(%x: tensor<1x8x8x4xi8>, %w: tensor<2x3x3x4xi8>) {
  // expected-error @+1 {{expects 1x1 weights of shape [Co, 1, 1, Ci], got 3x3 kernel}}
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x3x3x4xi8>) -> tensor<1x6x6x2xi8>
  return
}

// -----

func.func @ternary_value(%x: tensor<1x8x8x3xi8>) {
  %w = arith.constant dense<[[[[1, 0, -1]]], [[[0, 2, 1]]]]> : tensor<2x1x1x3xi8>
  // expected-error @+1 {{expects weights in {-1, 0, +1}, got 2 at flat index 4}}
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x3xi8>, tensor<2x1x1x3xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @ternary_value_splat(%x: tensor<1x8x8x3xi8>) {
  %w = arith.constant dense<-2> : tensor<2x1x1x3xi8>
  // expected-error @+1 {{expects weights in {-1, 0, +1}, got -2 at flat index 0}}
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x3xi8>, tensor<2x1x1x3xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @ternary_channels(%x: tensor<1x8x8x3xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects weights of shape [Co, Kh, Kw, Ci / groups] with Ci / groups = 3, got 4}}
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x3xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @ternary_stride_output(%x: tensor<1x8x8x3xi8>, %w: tensor<2x1x1x3xi8>) {
  // expected-error @+1 {{expects output height 4 (input 8, kernel 1, stride 2, pad 0+0, dilation 1), got 8}}
  %y = prom.ternary_conv2d %x, %w stride [2, 2] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x3xi8>, tensor<2x1x1x3xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

//===----------------------------------------------------------------------===//
// prom.haste_buckets / prom.merge_channels
//===----------------------------------------------------------------------===//

func.func @haste_batch(%x: tensor<2x4x4x8xf32>, %p: tensor<3x16xi8>) {
  // expected-error @+1 {{expects one image (N == 1), got N = 2}}
  %b, %n = prom.haste_buckets %x, %p : tensor<2x4x4x8xf32>, tensor<3x16xi8> -> tensor<8xindex>
  return
}

// -----

func.func @haste_too_many_planes(%x: tensor<1x4x4x8xf32>, %p: tensor<64x16xi8>) {
  // expected-error @+1 {{expects 1 to 63 hyperplanes, got 64}}
  %b, %n = prom.haste_buckets %x, %p : tensor<1x4x4x8xf32>, tensor<64x16xi8> -> tensor<8xindex>
  return
}

// -----

func.func @haste_short_planes(%x: tensor<1x4x4x8xf32>, %p: tensor<3x15xi8>) {
  // expected-error @+1 {{expects hyperplanes of at least H * W = 16 entries, got 15}}
  %b, %n = prom.haste_buckets %x, %p : tensor<1x4x4x8xf32>, tensor<3x15xi8> -> tensor<8xindex>
  return
}

// -----

func.func @haste_bucket_count(%x: tensor<1x4x4x8xf32>, %p: tensor<3x16xi8>) {
  // expected-error @+1 {{expects one bucket per input channel (8), got 7}}
  %b, %n = prom.haste_buckets %x, %p : tensor<1x4x4x8xf32>, tensor<3x16xi8> -> tensor<7xindex>
  return
}

// -----

func.func @haste_plane_values(%x: tensor<1x1x2x2xf32>) {
  %p = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  // expected-error @+1 {{expects hyperplane entries in {-1, 0, 1}, found 2}}
  %b, %n = prom.haste_buckets %x, %p : tensor<1x1x2x2xf32>, tensor<1x2xi8> -> tensor<2xindex>
  return
}

// -----

func.func @merge_static_channels(%x: tensor<1x4x4x8xf32>, %b: tensor<8xindex>, %n: index) {
  // expected-error @+1 {{expects a dynamic merged channel dimension}}
  %y = prom.merge_channels %x, %b, %n : tensor<1x4x4x8xf32>, tensor<8xindex> -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @merge_bucket_count(%x: tensor<1x4x4x8xf32>, %b: tensor<6xindex>, %n: index) {
  // expected-error @+1 {{expects one bucket per channel (8), got 6}}
  %y = prom.merge_channels %x, %b, %n : tensor<1x4x4x8xf32>, tensor<6xindex> -> tensor<1x4x4x?xf32>
  return
}

// -----

func.func @merge_shape(%x: tensor<1x4x4x8xf32>, %b: tensor<8xindex>, %n: index) {
  // expected-error @+1 {{expects output dimension 1 to be 4, got 3}}
  %y = prom.merge_channels %x, %b, %n : tensor<1x4x4x8xf32>, tensor<8xindex> -> tensor<1x3x4x?xf32>
  return
}

// -----

func.func @merge_element_type(%x: tensor<1x4x4x8xi32>, %b: tensor<8xindex>, %n: index) {
  // expected-error @+1 {{expects the output element type of the input ('i32') or a wider integer, got 'f32'}}
  %y = prom.merge_channels %x, %b, %n : tensor<1x4x4x8xi32>, tensor<8xindex> -> tensor<1x4x4x?xf32>
  return
}

// -----

func.func @merge_narrowed(%x: tensor<3x3x8x2xi32>, %b: tensor<8xindex>, %n: index) {
  // expected-error @+1 {{expects the output element type of the input ('i32') or a wider integer, got 'i16'}}
  %y = prom.merge_channels %x, %b, %n along 2 : tensor<3x3x8x2xi32>, tensor<8xindex> -> tensor<3x3x?x2xi16>
  return
}

// -----

func.func @merge_dimension(%x: tensor<1x4x4x8xi32>, %b: tensor<8xindex>, %n: index) {
  // expected-error @+1 {{expects a dimension in [0, 4), got 4}}
  %y = prom.merge_channels %x, %b, %n along 4 : tensor<1x4x4x8xi32>, tensor<8xindex> -> tensor<1x4x4x?xi32>
  return
}

// -----

func.func @merge_along_buckets(%x: tensor<3x3x8x2xi16>, %b: tensor<2xindex>, %n: index) {
  // expected-error @+1 {{expects one bucket per channel (8), got 2}}
  %y = prom.merge_channels %x, %b, %n along 2 : tensor<3x3x8x2xi16>, tensor<2xindex> -> tensor<3x3x?x2xi16>
  return
}

// -----

func.func @merge_along_static(%x: tensor<3x3x8x2xi16>, %b: tensor<8xindex>, %n: index) {
  // expected-error @+1 {{expects output dimension 3 to be 2, got 8}}
  %y = prom.merge_channels %x, %b, %n along 2 : tensor<3x3x8x2xi16>, tensor<8xindex> -> tensor<3x3x?x8xi16>
  return
}
