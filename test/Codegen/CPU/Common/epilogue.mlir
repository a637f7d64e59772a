// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --split-input-file | FileCheck %s --check-prefix=SELECT
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-float-conv-vector --split-input-file | FileCheck %s

// A residual add and a ReLU after a float convolution are its epilogue:
// before each store, the addend's vector at the same pixel and channels
// is added in the op's operand order (addend first here), then the clamp.
// SELECT-LABEL: func.func @residual
// SELECT:       tosa.conv2d {{.*}}kind = float_conv_vector
// SELECT:       tosa.add {{.*}}kind = epilogue
// SELECT:       tosa.clamp {{.*}}kind = epilogue
// CHECK-LABEL: func.func @residual
// CHECK:       %[[FLAT:.+]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1, 2], [3]] : tensor<1x2x4x16xf32> into tensor<8x16xf32>
// CHECK:       scf.for
// CHECK:       %[[ADDEND:.+]] = vector.transfer_read %[[FLAT]]
// CHECK-NEXT:  %[[SUM:.+]] = arith.addf %[[ADDEND]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:  %[[MIN:.+]] = arith.minimumf %[[SUM]]
// CHECK-NEXT:  arith.maximumf %[[MIN]]
// CHECK-NOT:   tosa.
// CHECK:       return
func.func @residual(%x: tensor<1x2x4x16xf32>, %r: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<16x1x1x16xf32>} : () -> tensor<16x1x1x16xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x16xf32>, tensor<16x1x1x16xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x16xf32>
  %s = tosa.add %r, %y : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  %z = tosa.clamp %s {max_val = 3.4028235e38 : f32, min_val = 0.0 : f32} : (tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %z : tensor<1x2x4x16xf32>
}

// -----

// The add of two convolutions belongs to the later one, whose output is
// computed last; the earlier one is its addend.
// SELECT-LABEL: func.func @two_convolutions
// SELECT:       tosa.conv2d {{.*}}kind = float_conv_vector
// SELECT:       tosa.conv2d {{.*}}kind = float_conv_vector
// SELECT:       tosa.add {{.*}}kind = epilogue
// CHECK-LABEL: func.func @two_convolutions
// CHECK:       %[[FIRST:.+]] = scf.for
// CHECK:       scf.for
// CHECK:       %[[ADDEND:.+]] = vector.transfer_read %[[FIRST]]
// CHECK-NEXT:  arith.addf %[[ADDEND]], %{{.*}} : vector<16xf32>
// CHECK-NOT:   tosa.
// CHECK:       return
func.func @two_convolutions(%x: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<16x1x1x16xf32>} : () -> tensor<16x1x1x16xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y1 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x16xf32>, tensor<16x1x1x16xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x16xf32>
  %y2 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x16xf32>, tensor<16x1x1x16xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x16xf32>
  %s = tosa.add %y1, %y2 : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %s : tensor<1x2x4x16xf32>
}

// -----

// Not epilogues: an add that broadcasts its addend, and one of 20
// channels (its reads would pass the last channel).
// SELECT-LABEL: func.func @not_epilogues
// SELECT-NOT:   kind = epilogue
// SELECT:       return
func.func @not_epilogues(%x: tensor<1x2x4x16xf32>, %r: tensor<1x1x1x16xf32>, %x20: tensor<1x2x4x20xf32>, %r20: tensor<1x2x4x20xf32>) -> (tensor<1x2x4x16xf32>, tensor<1x2x4x20xf32>) {
  %w = "tosa.const"() {values = dense<0.5> : tensor<16x1x1x16xf32>} : () -> tensor<16x1x1x16xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x16xf32>, tensor<16x1x1x16xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x16xf32>
  %s = tosa.add %y, %r : (tensor<1x2x4x16xf32>, tensor<1x1x1x16xf32>) -> tensor<1x2x4x16xf32>
  %w20 = "tosa.const"() {values = dense<0.5> : tensor<20x1x1x20xf32>} : () -> tensor<20x1x1x20xf32>
  %b20 = "tosa.const"() {values = dense<0.25> : tensor<20xf32>} : () -> tensor<20xf32>
  %y20 = tosa.conv2d %x20, %w20, %b20, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x20xf32>, tensor<20x1x1x20xf32>, tensor<20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x20xf32>
  %s20 = tosa.add %y20, %r20 : (tensor<1x2x4x20xf32>, tensor<1x2x4x20xf32>) -> tensor<1x2x4x20xf32>
  return %s, %s20 : tensor<1x2x4x16xf32>, tensor<1x2x4x20xf32>
}
