// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths | FileCheck %s --check-prefix=PROM
// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths=policy=int8 | FileCheck %s --check-prefix=INT8
// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths=policy=float | FileCheck %s --check-prefix=FLOAT
// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths="override=stem=float,head.*=int8,head.proj=ternary" | FileCheck %s --check-prefix=OVERRIDE
// The same overrides from a JSON file, and split between option and file
// (the option's entries first).
// RUN: echo '{"overrides": [{"layer": "stem", "bitwidth": "float"}, {"layer": "head.*", "bitwidth": "int8"}, {"layer": "head.proj", "bitwidth": "ternary"}]}' > %t.json
// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths="override-file=%t.json" | FileCheck %s --check-prefix=OVERRIDE
// RUN: echo '{"overrides": [{"layer": "head.proj", "bitwidth": "ternary"}]}' > %t.tail.json
// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --prom-assign-bitwidths="override=stem=float,head.*=int8 override-file=%t.tail.json" | FileCheck %s --check-prefix=OVERRIDE
// RUN: prom-opt %s --mlir-print-debuginfo --mlir-print-local-scope --pass-pipeline="builtin.module(func.func(prom-assign-bitwidths{policy=int8}))" | FileCheck %s --check-prefix=INT8

func.func @tosa_layers(%x: tensor<1x8x8x4xf32>, %w1: tensor<6x1x1x4xf32>,
                       %w3: tensor<6x3x3x4xf32>, %wdw: tensor<3x3x4x1xf32>,
                       %b6: tensor<6xf32>, %b4: tensor<4xf32>,
                       %a: tensor<1x1x4xf32>, %m: tensor<1x4x2xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // PROM:     tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<ternary>{{.*}} loc("head.proj")
  // INT8:     tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  // FLOAT:    tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<float>
  // OVERRIDE: tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<int8>{{.*}} loc("head.proj")
  %0 = tosa.conv2d %x, %w1, %b6, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x4xf32>, tensor<6x1x1x4xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x6xf32> loc("head.proj")
  // PROM:     tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<int8>{{.*}} loc("stem")
  // INT8:     tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  // FLOAT:    tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<float>
  // OVERRIDE: tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<float>{{.*}} loc("stem")
  %1 = tosa.conv2d %x, %w3, %b6, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x4xf32>, tensor<6x3x3x4xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x6xf32> loc("stem")
  // PROM:     tosa.depthwise_conv2d {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  // INT8:     tosa.depthwise_conv2d {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  // FLOAT:    tosa.depthwise_conv2d {{.*}}prom.bitwidth = #prom.bitwidth<float>
  // OVERRIDE: tosa.depthwise_conv2d {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  %2 = tosa.depthwise_conv2d %x, %wdw, %b4, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  // PROM:     tosa.matmul {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  // INT8:     tosa.matmul {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  // FLOAT:    tosa.matmul {{.*}}prom.bitwidth = #prom.bitwidth<float>
  // OVERRIDE: tosa.matmul {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  %3 = tosa.matmul %a, %m, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  // Not a layer: no plan.
  // PROM: tosa.add
  // PROM-NOT: prom.bitwidth
  // PROM-SAME: -> tensor<1x8x8x4xf32>
  %4 = tosa.add %x, %x : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  return
}

// A plan that is already there is kept.
// PROM-LABEL: func @hand_made_plan
// PROM: tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<float>
// INT8-LABEL: func @hand_made_plan
// INT8: tosa.conv2d {{.*}}prom.bitwidth = #prom.bitwidth<float>
func.func @hand_made_plan(%x: tensor<1x8x8x4xf32>, %w1: tensor<6x1x1x4xf32>, %b6: tensor<6xf32>) -> tensor<1x8x8x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w1, %b6, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, prom.bitwidth = #prom.bitwidth<float>}
      : (tensor<1x8x8x4xf32>, tensor<6x1x1x4xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x6xf32>
  return %0 : tensor<1x8x8x6xf32>
}

// linalg named ops from another compiler are layers too.
// PROM-LABEL: func @linalg_layers
func.func @linalg_layers(%x: tensor<1x8x8x4xf32>, %hwcf1: tensor<1x1x4x6xf32>,
                         %fhwc3: tensor<6x3x3x4xf32>, %fhwc1: tensor<6x1x1x4xf32>,
                         %dw: tensor<3x3x4xf32>, %o: tensor<1x8x8x6xf32>,
                         %o3: tensor<1x6x6x6xf32>, %odw: tensor<1x6x6x4xf32>,
                         %a: tensor<2x4xf32>, %b: tensor<4x3xf32>, %c: tensor<2x3xf32>) {
  // PROM: linalg.conv_2d_nhwc_hwcf {{.*}}prom.bitwidth = #prom.bitwidth<ternary>
  %0 = linalg.conv_2d_nhwc_hwcf ins(%x, %hwcf1 : tensor<1x8x8x4xf32>, tensor<1x1x4x6xf32>) outs(%o : tensor<1x8x8x6xf32>) -> tensor<1x8x8x6xf32>
  // PROM: linalg.conv_2d_nhwc_fhwc {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  %1 = linalg.conv_2d_nhwc_fhwc ins(%x, %fhwc3 : tensor<1x8x8x4xf32>, tensor<6x3x3x4xf32>) outs(%o3 : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  // PROM: linalg.conv_2d_nhwc_fhwc {{.*}}prom.bitwidth = #prom.bitwidth<ternary>
  %2 = linalg.conv_2d_nhwc_fhwc ins(%x, %fhwc1 : tensor<1x8x8x4xf32>, tensor<6x1x1x4xf32>) outs(%o : tensor<1x8x8x6xf32>) -> tensor<1x8x8x6xf32>
  // PROM: linalg.depthwise_conv_2d_nhwc_hwc {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  %3 = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %dw : tensor<1x8x8x4xf32>, tensor<3x3x4xf32>) outs(%odw : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  // PROM: linalg.matmul {{.*}}prom.bitwidth = #prom.bitwidth<int8>
  %4 = linalg.matmul ins(%a, %b : tensor<2x4xf32>, tensor<4x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}
