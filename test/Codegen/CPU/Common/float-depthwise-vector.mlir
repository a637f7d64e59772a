// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-float-depthwise-vector | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels --prom-float-depthwise-vector | FileCheck %s --check-prefix=AVX2

// 20 channels, 3x3, padding 1: weights [taps, channels], the bias per
// channel. Each accumulator starts at +0.0; each tap is a multiply and a
// separate add (the reference's two roundings, no fma); the bias is added
// last. Padding reads 0.0, as the reference's padded input does.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG:   arith.constant dense<5.000000e-01> : tensor<9x20xf32>
// CHECK-DAG:   arith.constant dense<2.500000e-01> : tensor<20xf32>
// CHECK-DAG:   %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-NOT:   tensor.pad
// Row 0 (its taps reach the padding): channel blocks of 16 (two, the
// second overlapping), tiles of 4 of the 6 columns (two, the second
// overlapping), every read checked.
// CHECK:       scf.for %{{.*}} = %c0 to %c2
// CHECK:       arith.minsi %{{.*}}, %c4 : index
// CHECK:       scf.for %{{.*}} = %c0 to %c2
// CHECK:       arith.minsi %{{.*}}, %c2 : index
// CHECK-COUNT-36: scf.if %{{.*}} -> (vector<16xf32>)
// CHECK:       arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NEXT:  arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:   vector.fma
// CHECK:       vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x4x6x20xf32>
// Rows 1-2: columns 1-4 read directly, in one tile of 4.
// CHECK:       scf.for %{{.*}} = %c0 to %c2
// CHECK:       yield %[[ZERO]]
// CHECK:       scf.for %{{.*}} = %c0 to %c1
// CHECK-NOT:   scf.if
// CHECK-COUNT-36: arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-COUNT-4: vector.transfer_write
// CHECK-NOT:   tosa.depthwise_conv2d
// AVX2-LABEL: func.func @depthwise
// AVX2:       arith.mulf %{{.*}}, %{{.*}} : vector<8xf32>
// AVX2-NOT:   tosa.depthwise_conv2d
func.func @depthwise(%x: tensor<1x4x6x20xf32>) -> tensor<1x4x6x20xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x20x1xf32>} : () -> tensor<3x3x20x1xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<20xf32>} : () -> tensor<20xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x6x20xf32>, tensor<3x3x20x1xf32>, tensor<20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6x20xf32>
  return %y : tensor<1x4x6x20xf32>
}

// The reference lowering, with the reason.
// CHECK-LABEL: func.func @multiplier
// CHECK:       tosa.depthwise_conv2d {{.*}}reason = "a channel multiplier above 1"
// AVX2-LABEL: func.func @multiplier
func.func @multiplier(%x: tensor<1x4x4x16xf32>) -> tensor<1x4x4x32xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x16x2xf32>} : () -> tensor<3x3x16x2xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<32xf32>} : () -> tensor<32xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x16xf32>, tensor<3x3x16x2xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x32xf32>
  return %y : tensor<1x4x4x32xf32>
}

// Eight channels: too few for 16 lanes, enough for AVX2's 8.
// CHECK-LABEL: func.func @narrow
// CHECK:       tosa.depthwise_conv2d {{.*}}reason = "fewer channels than vector lanes"
// AVX2-LABEL: func.func @narrow
// AVX2:       arith.mulf %{{.*}}, %{{.*}} : vector<8xf32>
// AVX2-NOT:   tosa.depthwise_conv2d
func.func @narrow(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x8x1xf32>} : () -> tensor<3x3x8x1xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<3x3x8x1xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// CHECK-LABEL: func.func @runtime_weights
// CHECK:       tosa.depthwise_conv2d {{.*}}reason = "weights or bias not known at compile time"
// AVX2-LABEL: func.func @runtime_weights
func.func @runtime_weights(%x: tensor<1x4x4x16xf32>, %w: tensor<3x3x16x1xf32>) -> tensor<1x4x4x16xf32> {
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}

// A clamp (ReLU6) whose input is the kernel's only use is its epilogue:
// applied to each stored vector as the reference lowers it,
// maximumf(minimumf(v, 6), 0), and no pass of its own.
// CHECK-LABEL: func.func @relu6
// CHECK-DAG:   %[[SIX:.+]] = arith.constant dense<6.000000e+00> : vector<16xf32>
// CHECK-DAG:   %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// The bias added last, then the clamp.
// CHECK:       %[[BIAS:.+]] = vector.transfer_read {{.*}} : tensor<16xf32>, vector<16xf32>
// CHECK-NEXT:  %[[SUM:.+]] = arith.addf %[[BIAS]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:  %[[MIN:.+]] = arith.minimumf %[[SUM]], %[[SIX]] : vector<16xf32>
// CHECK-NEXT:  %[[MAX:.+]] = arith.maximumf %[[MIN]], %[[ZERO]] : vector<16xf32>
// CHECK-NEXT:  vector.transfer_write %[[MAX]]
// CHECK-NOT:   tosa.clamp
// CHECK:       return
func.func @relu6(%x: tensor<1x4x6x16xf32>) -> tensor<1x4x6x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x16x1xf32>} : () -> tensor<3x3x16x1xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x6x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6x16xf32>
  %z = tosa.clamp %y {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x6x16xf32>) -> tensor<1x4x6x16xf32>
  return %z : tensor<1x4x6x16xf32>
}

// Not an epilogue: a clamp that ignores NaNs, and one whose input has a
// second user.
// CHECK-LABEL: func.func @not_epilogue
// CHECK:       tosa.clamp {{.*}}nan_mode = IGNORE
// CHECK-NOT:   kind = epilogue
// CHECK:       tosa.clamp
// CHECK-NOT:   kind = epilogue
// CHECK:       return
func.func @not_epilogue(%x: tensor<1x4x6x16xf32>) -> (tensor<1x4x6x16xf32>, tensor<1x4x6x16xf32>, tensor<1x4x6x16xf32>) {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x16x1xf32>} : () -> tensor<3x3x16x1xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x6x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6x16xf32>
  %z = tosa.clamp %y {max_val = 6.0 : f32, min_val = 0.0 : f32, nan_mode = IGNORE} : (tensor<1x4x6x16xf32>) -> tensor<1x4x6x16xf32>
  %y2 = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x6x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6x16xf32>
  %z2 = tosa.clamp %y2 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4x6x16xf32>) -> tensor<1x4x6x16xf32>
  return %z, %z2, %y2 : tensor<1x4x6x16xf32>, tensor<1x4x6x16xf32>, tensor<1x4x6x16xf32>
}
