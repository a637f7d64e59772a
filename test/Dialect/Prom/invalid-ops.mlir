// Verifier messages of fully_connected, rescale, add, clamp, table,
// avg_pool2d, concat, and the fixed-point range checks.
// RUN: prom-opt %s -split-input-file -verify-diagnostics

func.func @fc_in_features(%x: tensor<1x16xi8>, %w: tensor<10x8xi8>) {
  // expected-error @+1 {{expects weights of shape [out_features, 16], got 8 in_features}}
  %y = prom.fully_connected %x, %w input(1.0, 0) weight_scales [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0] output(1.0, 0) : (tensor<1x16xi8>, tensor<10x8xi8>) -> tensor<1x10xi8>
  return
}

// -----

func.func @fc_rows(%x: tensor<2x16xi8>, %w: tensor<2x16xi8>) {
  // expected-error @+1 {{expects 2 output rows, got 1}}
  %y = prom.fully_connected %x, %w input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<2x16xi8>, tensor<2x16xi8>) -> tensor<1x2xi8>
  return
}

// -----

func.func @fc_out_features(%x: tensor<1x16xi8>, %w: tensor<2x16xi8>) {
  // expected-error @+1 {{expects 2 output features (weights dim 0), got 3}}
  %y = prom.fully_connected %x, %w input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x16xi8>, tensor<2x16xi8>) -> tensor<1x3xi8>
  return
}

// -----

func.func @fc_scales(%x: tensor<1x16xi8>, %w: tensor<2x16xi8>) {
  // expected-error @+1 {{expects one weight scale per output feature (2), got 3}}
  %y = prom.fully_connected %x, %w input(1.0, 0) weight_scales [1.0, 1.0, 1.0] output(1.0, 0) : (tensor<1x16xi8>, tensor<2x16xi8>) -> tensor<1x2xi8>
  return
}

// -----

func.func @fc_bias(%x: tensor<1x16xi8>, %w: tensor<2x16xi8>, %b: tensor<4xi32>) {
  // expected-error @+1 {{expects bias of 2 elements (one per output channel), got 4}}
  %y = prom.fully_connected %x, %w, %b input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x16xi8>, tensor<2x16xi8>, tensor<4xi32>) -> tensor<1x2xi8>
  return
}

// -----

func.func @conv_requant_range(%x: tensor<1x8x8x4xi8>, %w: tensor<2x1x1x4xi8>) {
  // expected-error @+1 {{expects input_scale * weight_scale / output_scale below 2^30, got 2.000000e+09 for output channel 1}}
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 2.0e+09] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
  return
}

// -----

func.func @rescale_axis(%x: tensor<1x4xi32>) {
  // expected-error @+1 {{expects one scale per index of axis 1 (4), got 2}}
  %y = prom.rescale %x input_zp 0 scales [0.5, 0.5] axis 1 output_zp 0 : tensor<1x4xi32> -> tensor<1x4xi8>
  return
}

// -----

func.func @rescale_i8_input_zp(%x: tensor<4xi8>) {
  // expected-error @+1 {{expects 'input_zp' in [-128, 127], got 1000}}
  %y = prom.rescale %x input_zp 1000 scales [0.5] output_zp 0 : tensor<4xi8> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_scale(%x: tensor<4xi32>) {
  // expected-error @+1 {{expects every scale positive and below 2^30, got -5.000000e-01 at index 0}}
  %y = prom.rescale %x input_zp 0 scales [-0.5] output_zp 0 : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_output_zp(%x: tensor<4xi32>) {
  // expected-error @+1 {{expects 'output_zp' in [-128, 127], got -200}}
  %y = prom.rescale %x input_zp 0 scales [0.5] output_zp -200 : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_input_type(%x: tensor<4xi16>) {
  // expected-error @+1 {{operand #0 must be tensor of 8-bit signless integer or 32-bit signless integer values}}
  %y = prom.rescale %x input_zp 0 scales [0.5] output_zp 0 : tensor<4xi16> -> tensor<4xi8>
  return
}

// -----

func.func @add_scale(%a: tensor<4xi8>) {
  // expected-error @+1 {{expects 'rhs_scale' to be positive and finite, got 0.000000e+00}}
  %y = prom.add %a, %a lhs(1.0, 0) rhs(0.0, 0) output(1.0, 0) : tensor<4xi8>
  return
}

// -----

func.func @add_zp(%a: tensor<4xi8>) {
  // expected-error @+1 {{expects 'lhs_zp' in [-128, 127], got 128}}
  %y = prom.add %a, %a lhs(1.0, 128) rhs(1.0, 0) output(1.0, 0) : tensor<4xi8>
  return
}

// -----

func.func @add_ratio(%a: tensor<4xi8>) {
  // expected-error @+1 {{expects input scales below 2^30 times output_scale, got ratios 2.000000e+09 and 1.000000e+00}}
  %y = prom.add %a, %a lhs(2.0e+09, 0) rhs(1.0, 0) output(1.0, 0) : tensor<4xi8>
  return
}

// -----

// expected-note @+1 {{prior use here}}
func.func @add_shape(%a: tensor<4xi8>, %b: tensor<5xi8>) {
  // expected-error @+1 {{use of value '%b' expects different type than prior uses}}
  %y = prom.add %a, %b lhs(1.0, 0) rhs(1.0, 0) output(1.0, 0) : tensor<4xi8>
  return
}

// -----

func.func @clamp_bounds(%a: tensor<4xi8>) {
  // expected-error @+1 {{expects 'clamp' with -128 <= min <= max <= 127, got [5, 1]}}
  %y = prom.clamp %a min 5 max 1 : tensor<4xi8>
  return
}

// -----

func.func @table_size(%a: tensor<4xi8>) {
  // expected-error @+1 {{expects a table of 256 entries (one per i8 value), got 3}}
  %y = prom.table %a [1, 2, 3] : tensor<4xi8>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x7x7x4xi8>) {
  // expected-error @+1 {{expects every value of 'kernel' to be >= 1, got 0}}
  %y = prom.avg_pool2d %x kernel [0, 7] stride [1, 1] pad [0, 0, 0, 0] input(1.0, 0) output(1.0, 0) : tensor<1x7x7x4xi8> -> tensor<1x1x1x4xi8>
  return
}

// -----

func.func @pool_output(%x: tensor<1x7x7x4xi8>) {
  // expected-error @+1 {{expects output height 3 (input 7, kernel 3, stride 2, pad 0+0, dilation 1), got 4}}
  %y = prom.avg_pool2d %x kernel [3, 3] stride [2, 2] pad [0, 0, 0, 0] input(1.0, 0) output(1.0, 0) : tensor<1x7x7x4xi8> -> tensor<1x4x3x4xi8>
  return
}

// -----

func.func @pool_channels(%x: tensor<1x7x7x4xi8>) {
  // expected-error @+1 {{expects 4 output channels, got 8}}
  %y = prom.avg_pool2d %x kernel [7, 7] stride [1, 1] pad [0, 0, 0, 0] input(1.0, 0) output(1.0, 0) : tensor<1x7x7x4xi8> -> tensor<1x1x1x8xi8>
  return
}

// -----

func.func @pool_scale(%x: tensor<1x7x7x4xi8>) {
  // expected-error @+1 {{expects input_scale / output_scale below 2^30, got 2.000000e+09}}
  %y = prom.avg_pool2d %x kernel [7, 7] stride [1, 1] pad [0, 0, 0, 0] input(2.0e+09, 0) output(1.0, 0) : tensor<1x7x7x4xi8> -> tensor<1x1x1x4xi8>
  return
}

// -----

func.func @concat_axis(%a: tensor<1x4xi8>) {
  // expected-error @+1 {{expects 'axis' in [0, 2), got 2}}
  %y = prom.concat %a, %a axis 2 : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x8xi8>
  return
}

// -----

func.func @concat_rank(%a: tensor<1x4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{expects every input of rank 2, input 1 is 'tensor<4xi8>'}}
  %y = prom.concat %a, %b axis 1 : (tensor<1x4xi8>, tensor<4xi8>) -> tensor<1x8xi8>
  return
}

// -----

func.func @concat_other_dim(%a: tensor<1x4xi8>, %b: tensor<2x4xi8>) {
  // expected-error @+1 {{expects input 1 to match the result in dimension 0 (1), got 2}}
  %y = prom.concat %a, %b axis 1 : (tensor<1x4xi8>, tensor<2x4xi8>) -> tensor<1x8xi8>
  return
}

// -----

func.func @concat_sum(%a: tensor<1x4xi8>) {
  // expected-error @+1 {{expects result dimension 1 to be the sum of the inputs' (8), got 9}}
  %y = prom.concat %a, %a axis 1 : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x9xi8>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+1 {{expects at least one input}}
  %y = prom.concat axis 0 : () -> tensor<1xi8>
  return
}

// -----

func.func @concat_unranked(%a: tensor<1x4xi8>) {
  // expected-error @+1 {{expects a ranked result}}
  %y = prom.concat %a axis 0 : (tensor<1x4xi8>) -> tensor<*xi8>
  return
}
