// RUN: not prom-opt %s --prom-haste="hyperplanes=64" 2>&1 | FileCheck %s --check-prefix=PLANES
// PLANES: error: prom-haste: hyperplanes=64 is out of range [1, 63]
// RUN: not prom-opt %s --prom-haste="hyperplanes=0" 2>&1 | FileCheck %s --check-prefix=PLANES0
// PLANES0: error: prom-haste: hyperplanes=0 is out of range [1, 63]
// RUN: not prom-opt %s --prom-haste="density=0" 2>&1 | FileCheck %s --check-prefix=DENSITY
// DENSITY: error: prom-haste: density=0 is out of range (0, 1]
// RUN: not prom-opt %s --prom-haste="patch=3" 2>&1 | FileCheck %s --check-prefix=PATCHFORM
// PATCHFORM: error: prom-haste: patch expects two positive sizes H,W
// RUN: not prom-opt %s --prom-haste="patch=5,2" 2>&1 | FileCheck %s --check-prefix=PATCHSIZE
// PATCHSIZE: error: loc("conv"): prom-haste: patch 5x2 is larger than the output map 4x4 of 'conv'
// RUN: not prom-opt %s --prom-haste="layers=(" 2>&1 | FileCheck %s --check-prefix=REGEX
// REGEX: error: prom-haste: layers='(' is not a valid regex
// A depthwise conv named explicitly gets a remark and stays.
// RUN: prom-opt %s --prom-haste="layers=dw" 2>&1 | FileCheck %s --check-prefix=DEPTHWISE
// DEPTHWISE: remark: loc("dw"): prom-haste: depthwise convolution 'dw' is not a HASTE candidate (no sum over input channels to shorten); left as it is
// DEPTHWISE: tosa.depthwise_conv2d
// DEPTHWISE: tosa.conv2d

func.func @convs(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x4xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x8x1xf32>} : () -> tensor<3x3x8x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %w2 = "tosa.const"() {values = dense<0.125> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<3x3x8x1xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32> loc("dw")
  %1 = tosa.conv2d %0, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<4x1x1x8xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32> loc("conv")
  return %1 : tensor<1x4x4x4xf32>
}
