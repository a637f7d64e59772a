// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths="policy=budget weight-budget=90" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=B90
// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths="policy=budget weight-budget=80" -split-input-file 2>&1 | FileCheck %s --check-prefix=B80
// RUN: prom-opt %s --prom-assign-bitwidths="policy=budget weight-budget=50" -split-input-file 2>&1 | FileCheck %s --check-prefix=B50
// RUN: not prom-opt %s --prom-assign-bitwidths=policy=budget 2>&1 | FileCheck %s --check-prefix=NOBUDGET

// Three pointwise convs of 16 weights and 4 output channels: 32 bytes each
// as int8 (16 weights + 4 f32 scales), 20 as ternary (16 x 2 bits + 16).
// Data-free sensitivity, the SQNR of TWN-ternarized weights: @exact's
// weights are already {-a, 0, +a} (infinite SQNR); @spread's channels
// (0.1, 0.2, 0.3, 0.4 in magnitude) give 10 dB; @lumpy's (3, 1, 1, 1) keep
// only the 3 and give 6 dB. Under 90 bytes only @exact goes ternary (84
// bytes); under 80 @spread too (72); 50 is out of reach (60).
// B90: prom.bitwidth = #prom.bitwidth<ternary>{{.*}} loc("exact")
// B90: prom.bitwidth = #prom.bitwidth<int8>{{.*}} loc("spread")
// B90: prom.bitwidth = #prom.bitwidth<int8>{{.*}} loc("lumpy")
// B80: remark: budget plan: 2 of 3 pointwise convolutions ternary, weights take 72 of 80 bytes
// B80: prom.bitwidth = #prom.bitwidth<ternary>{{.*}} loc("exact")
// B80: prom.bitwidth = #prom.bitwidth<ternary>{{.*}} loc("spread")
// B80: prom.bitwidth = #prom.bitwidth<int8>{{.*}} loc("lumpy")
// B50: warning: weight budget of 50 bytes is out of reach: the smallest plan takes 60 bytes
// B50: remark: budget plan: 3 of 3 pointwise convolutions ternary, weights take 60 of 50 bytes
// NOBUDGET: error: prom-assign-bitwidths: policy=budget needs weight-budget=BYTES greater than 0

// expected-remark @below {{budget plan: 1 of 3 pointwise convolutions ternary, weights take 84 of 90 bytes}}
module {
func.func @layers(%x: tensor<1x2x2x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) {
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %we = "tosa.const"() <{values = dense<[[[[0.5, -0.5, 0.0, 0.5]]], [[[0.2, 0.0, -0.2, 0.2]]], [[[1.0, 1.0, -1.0, 0.0]]], [[[0.0, 0.3, 0.3, -0.3]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %ws = "tosa.const"() <{values = dense<[[[[0.1, -0.2, 0.3, -0.4]]], [[[0.4, 0.3, -0.2, 0.1]]], [[[-0.1, 0.2, 0.3, 0.4]]], [[[0.25, -0.35, 0.15, 0.05]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %wo = "tosa.const"() <{values = dense<[[[[3.0, 1.0, -1.0, 1.0]]], [[[1.0, -3.0, 1.0, 1.0]]], [[[1.0, 1.0, 3.0, -1.0]]], [[[-1.0, 1.0, 1.0, 3.0]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %0 = tosa.conv2d %x, %we, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32> loc("exact")
  %1 = tosa.conv2d %x, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32> loc("spread")
  %2 = tosa.conv2d %x, %wo, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32> loc("lumpy")
  return %0, %1, %2 : tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>
}
}

// -----

// A measured sensitivity (prom-ternary-sensitivity) takes precedence over
// the data-free one: here "lumpy" measured best, so it goes first.
// B90: prom.bitwidth = #prom.bitwidth<int8>{{.*}} loc("exact")
// B90: prom.bitwidth = #prom.bitwidth<int8>{{.*}} loc("spread")
// B90: prom.bitwidth = #prom.bitwidth<ternary>{{.*}} loc("lumpy")
// expected-remark @below {{budget plan: 1 of 3 pointwise convolutions ternary, weights take 84 of 90 bytes}}
module {
func.func @measured(%x: tensor<1x2x2x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) {
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %we = "tosa.const"() <{values = dense<[[[[0.5, -0.5, 0.0, 0.5]]], [[[0.2, 0.0, -0.2, 0.2]]], [[[1.0, 1.0, -1.0, 0.0]]], [[[0.0, 0.3, 0.3, -0.3]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %wo = "tosa.const"() <{values = dense<[[[[3.0, 1.0, -1.0, 1.0]]], [[[1.0, -3.0, 1.0, 1.0]]], [[[1.0, 1.0, 3.0, -1.0]]], [[[-1.0, 1.0, 1.0, 3.0]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %0 = tosa.conv2d %x, %we, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.ternary_sqnr = 3.0 : f32, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32> loc("exact")
  %ws = "tosa.const"() <{values = dense<[[[[0.1, -0.2, 0.3, -0.4]]], [[[0.4, 0.3, -0.2, 0.1]]], [[[-0.1, 0.2, 0.3, 0.4]]], [[[0.25, -0.35, 0.15, 0.05]]]]> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %1 = tosa.conv2d %x, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32> loc("spread")
  %2 = tosa.conv2d %x, %wo, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, prom.ternary_sqnr = 40.0 : f32, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32> loc("lumpy")
  return %0, %1, %2 : tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>
}
}
