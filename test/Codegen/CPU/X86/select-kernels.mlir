// Kernel selection alone: the same ops on an AVX-512 VNNI, an AVX2 and a
// generic x86 target, and on AArch64 (no kernels there yet).
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels | FileCheck %s --check-prefixes=VNNI,FORMS
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels | FileCheck %s --check-prefixes=AVX2,FORMS
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels=isa=avx2 | FileCheck %s --check-prefix=AVX2
// RUN: prom-opt %s --prom-set-target=cpu=x86-64 --prom-select-kernels | FileCheck %s --check-prefix=GENERIC
// RUN: prom-opt %s --prom-set-target="triple=aarch64-linux-gnu cpu=neoverse-n1" --prom-select-kernels | FileCheck %s --check-prefix=ARM
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels=isa=none | FileCheck %s --check-prefix=NONE
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels="ternary-kernel=add add-lanes=8" | FileCheck %s --check-prefix=ADD
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels="tile-pixels=3 tile-blocks=1 chunk-bytes=4096" | FileCheck %s --check-prefix=OVERRIDE
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels=depthwise-form=multiply | FileCheck %s --check-prefix=MULTIPLY

// A 1x1 int8 conv over 7x7 = 49 pixels and 64 -> 48 channels. With VNNI,
// 3 blocks of 16 in a 7 x 3 tile (7 pixels divide 49; 8 would compute 56).
// With AVX2 these weights fit vpmaddubsw (|w0| + |w1| <= 128), and 6 blocks
// of 8 take 4 x 2 within the 16 registers.
// VNNI-LABEL: func.func @pointwise
// VNNI:       prom.conv2d {{.*}} {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx512_vnni, form = vpdpbusd, lanes = 16, tile_pixels = 7, tile_blocks = 3, chunk_bytes = 131072, requant = narrow_i32>}
// AVX2-LABEL: func.func @pointwise
// AVX2:       prom.conv2d {{.*}} {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddubsw, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = narrow_i16>}
// GENERIC-LABEL: func.func @pointwise
// GENERIC:    prom.conv2d {{.*}} {prom.kernel = #prom.kernel<kind = reference, reason = "kernel isa none">}
// ARM-LABEL:  func.func @pointwise
// ARM:        prom.kernel = #prom.kernel<kind = reference, reason = "kernel isa none">
// NONE-LABEL: func.func @pointwise
// NONE:       prom.kernel = #prom.kernel<kind = reference, reason = "kernel isa none">
// OVERRIDE-LABEL: func.func @pointwise
// OVERRIDE:   tile_pixels = 3, tile_blocks = 1, chunk_bytes = 4096
func.func @pointwise(%x: tensor<1x7x7x64xi8>) -> tensor<1x7x7x48xi8> {
  %w = arith.constant dense<3> : tensor<48x1x1x64xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x7x7x64xi8>, tensor<48x1x1x64xi8>) -> tensor<1x7x7x48xi8>
  return %y : tensor<1x7x7x48xi8>
}

// A pair 100 + 100 could saturate vpmaddubsw: AVX2 takes vpmaddwd.
// AVX2-LABEL: func.func @large_weights
// AVX2:       form = vpmaddwd, lanes = 8
// VNNI-LABEL: func.func @large_weights
// VNNI:       form = vpdpbusd, lanes = 16
func.func @large_weights(%x: tensor<1x2x2x4xi8>) -> tensor<1x2x2x8xi8> {
  %w = arith.constant dense<100> : tensor<8x1x1x4xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x2x2x4xi8>, tensor<8x1x1x4xi8>) -> tensor<1x2x2x8xi8>
  return %y : tensor<1x2x2x8xi8>
}

// The requantization: the cheapest form exact for the scales and the
// accumulators the kernel reaches. 64 weights of 101 reach |acc| near 1.6M,
// where no narrow form is exact. Below 1/4 the high word: rounding half up
// where no accumulator is a negative tie (0.005), not where one is (2^-13:
// ties at odd multiples of 4096). A scale of 1/2 is too large for the high
// word; over 1024 weights of 127 (|acc| near 2^25) no narrow multiplier
// precise enough for its ties stays in i32: i64.
// FORMS-LABEL: func.func @requant_forms
// FORMS:       requant = high_word_half_up
// FORMS:       requant = high_word>
// FORMS:       requant = i64
func.func @requant_forms(%x: tensor<1x2x2x64xi8>, %x1: tensor<1x1x1x1024xi8>) -> (tensor<1x2x2x16xi8>, tensor<1x2x2x16xi8>, tensor<1x1x1x16xi8>) {
  %w = arith.constant dense<101> : tensor<16x1x1x64xi8>
  %a = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x2x2x64xi8>, tensor<16x1x1x64xi8>) -> tensor<1x2x2x16xi8>
  %b = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.015625, 0) weight_scales [0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125] output(1.0, 0) : (tensor<1x2x2x64xi8>, tensor<16x1x1x64xi8>) -> tensor<1x2x2x16xi8>
  %w1 = arith.constant dense<127> : tensor<16x1x1x1024xi8>
  %c = prom.conv2d %x1, %w1 stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] output(1.0, 0) : (tensor<1x1x1x1024xi8>, tensor<16x1x1x1024xi8>) -> tensor<1x1x1x16xi8>
  return %a, %b, %c : tensor<1x2x2x16xi8>, tensor<1x2x2x16xi8>, tensor<1x1x1x16xi8>
}

// Depthwise: vector lanes of channels where there are enough of them.
// VNNI-LABEL: func.func @depthwise
// VNNI:       prom.kernel = #prom.kernel<kind = depthwise_vector, isa = avx512_vnni, form = vpmaddwd, lanes = 16, tile_pixels = 4, requant = narrow_i32>
// VNNI:       prom.kernel = #prom.kernel<kind = reference, reason = "fewer channels than vector lanes">
// AVX2-LABEL: func.func @depthwise
// AVX2:       prom.kernel = #prom.kernel<kind = depthwise_vector, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, requant = narrow_i32>
// AVX2:       prom.kernel = #prom.kernel<kind = depthwise_vector, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, requant = narrow_i32>
// On request, the multiply form (no form).
// MULTIPLY-LABEL: func.func @depthwise
// MULTIPLY:       prom.kernel = #prom.kernel<kind = depthwise_vector, isa = avx512_vnni, lanes = 16, tile_pixels = 4, requant = narrow_i32>
func.func @depthwise(%x: tensor<1x8x8x32xi8>, %x2: tensor<1x8x8x8xi8>) -> (tensor<1x8x8x32xi8>, tensor<1x8x8x8xi8>) {
  %w = arith.constant dense<2> : tensor<32x3x3x1xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 32 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x8x8x32xi8>, tensor<32x3x3x1xi8>) -> tensor<1x8x8x32xi8>
  %w2 = arith.constant dense<2> : tensor<8x3x3x1xi8>
  %y2 = prom.conv2d %x2, %w2 stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 8 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x8x8x8xi8>, tensor<8x3x3x1xi8>) -> tensor<1x8x8x8xi8>
  return %y, %y2 : tensor<1x8x8x32xi8>, tensor<1x8x8x8xi8>
}

// Ternary 1x1: the dot kernel by default; the add kernel on request (plain
// vector code, no isa); weights unknown at compile time: the reference.
// VNNI-LABEL: func.func @ternary
// VNNI:       prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx512_vnni, form = vpdpbusd
// VNNI:       prom.kernel = #prom.kernel<kind = reference, reason = "weights are not int8 constants">
// ADD-LABEL:  func.func @ternary
// ADD:        prom.kernel = #prom.kernel<kind = ternary_add, lanes = 8>
// ADD:        prom.kernel = #prom.kernel<kind = reference, reason = "weights are not int8 constants">
// NONE-LABEL: func.func @ternary
// NONE:       prom.kernel = #prom.kernel<kind = ternary_add, lanes = 16>
func.func @ternary(%x: tensor<1x4x4x8xi8>, %wv: tensor<8x1x1x8xi8>) -> (tensor<1x4x4x8xi8>, tensor<1x4x4x8xi8>) {
  %w = arith.constant dense<-1> : tensor<8x1x1x8xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.1, 0) weight_scales [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02] output(0.1, 0) : (tensor<1x4x4x8xi8>, tensor<8x1x1x8xi8>) -> tensor<1x4x4x8xi8>
  %y2 = prom.ternary_conv2d %x, %wv stride [1, 1] input(0.1, 0) weight_scales [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02] output(0.1, 0) : (tensor<1x4x4x8xi8>, tensor<8x1x1x8xi8>) -> tensor<1x4x4x8xi8>
  return %y, %y2 : tensor<1x4x4x8xi8>, tensor<1x4x4x8xi8>
}

// f32 convolutions (a float model's, or a QDQ model's kept in float), and
// residual adds: plain vector code as wide as the isa's vectors, where
// there are enough elements.
// VNNI-LABEL: func.func @float_and_others
// VNNI:       tosa.conv2d {{.*}}prom.kernel = #prom.kernel<kind = float_conv_vector, isa = avx512_vnni, lanes = 16, tile_pixels = 6, tile_blocks = 2>
// VNNI:       prom.add {{.*}} {prom.kernel = #prom.kernel<kind = add_vector, lanes = 16>}
// VNNI:       prom.add {{.*}} {prom.kernel = #prom.kernel<kind = reference, reason = "fewer elements than vector lanes">}
// AVX2-LABEL: func.func @float_and_others
// AVX2:       kind = float_conv_vector, isa = avx2, lanes = 8, tile_pixels = 4, tile_blocks = 2
// AVX2:       prom.add {{.*}} {prom.kernel = #prom.kernel<kind = add_vector, lanes = 8>}
// AVX2:       prom.add {{.*}} {prom.kernel = #prom.kernel<kind = add_vector, lanes = 8>}
// GENERIC-LABEL: func.func @float_and_others
// GENERIC:       prom.add {{.*}} {prom.kernel = #prom.kernel<kind = reference, reason = "kernel isa none">}
func.func @float_and_others(%x: tensor<1x4x4x3xf32>, %a: tensor<1x4x4x8xi8>, %c: tensor<1x1x1x8xi8>) -> (tensor<1x4x4x8xf32>, tensor<1x4x4x8xi8>, tensor<1x1x1x8xi8>) {
  %w = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x3xf32>} : () -> tensor<8x1x1x3xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<8x1x1x3xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32>
  %s = prom.add %a, %a lhs(0.1, 0) rhs(0.1, 0) output(0.2, 0) : tensor<1x4x4x8xi8>
  %t = prom.add %c, %c lhs(0.1, 0) rhs(0.1, 0) output(0.2, 0) : tensor<1x1x1x8xi8>
  return %y, %s, %t : tensor<1x4x4x8xf32>, tensor<1x4x4x8xi8>, tensor<1x1x1x8xi8>
}

// A kernel given by hand is kept.
// VNNI-LABEL: func.func @by_hand
// VNNI:       prom.kernel = #prom.kernel<kind = reference, reason = "by hand">
func.func @by_hand(%x: tensor<1x7x7x64xi8>) -> tensor<1x7x7x48xi8> {
  %w = arith.constant dense<3> : tensor<48x1x1x64xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) {prom.kernel = #prom.kernel<kind = reference, reason = "by hand">} : (tensor<1x7x7x64xi8>, tensor<48x1x1x64xi8>) -> tensor<1x7x7x48xi8>
  return %y : tensor<1x7x7x48xi8>
}
