// RUN: prom-opt %s -canonicalize -split-input-file | FileCheck %s

// A ReLU6-like clamp after a conv becomes the conv's own clamp.
// CHECK-LABEL: func @clamp_into_conv
// CHECK: %[[Y:.*]] = prom.conv2d {{.*}} output(5.000000e-02, -128) clamp [-128, 0] :
// CHECK-NOT: prom.clamp
// CHECK: return %[[Y]]
func.func @clamp_into_conv(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>) -> tensor<1x4x4x2xi8> {
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(5.0e-02, -128) : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>) -> tensor<1x4x4x2xi8>
  %c = prom.clamp %y min -128 max 0 : tensor<1x4x4x2xi8>
  return %c : tensor<1x4x4x2xi8>
}

// -----

// An existing clamp is intersected.
// CHECK-LABEL: func @clamp_intersect
// CHECK: prom.ternary_conv2d {{.*}} clamp [-10, 20] :
// CHECK-NOT: prom.clamp
func.func @clamp_intersect(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>) -> tensor<1x4x4x2xi8> {
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) clamp [-10, 100] : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>) -> tensor<1x4x4x2xi8>
  %c = prom.clamp %y min -50 max 20 : tensor<1x4x4x2xi8>
  return %c : tensor<1x4x4x2xi8>
}

// -----

// Every clamped-output op takes the clamp: fully_connected, add, rescale, avg_pool2d.
// CHECK-LABEL: func @clamp_into_others
// CHECK: prom.fully_connected {{.*}} clamp [0, 127]
// CHECK: prom.add {{.*}} clamp [0, 127]
// CHECK: prom.rescale {{.*}} clamp [0, 127]
// CHECK: prom.avg_pool2d {{.*}} clamp [0, 127]
// CHECK-NOT: prom.clamp
func.func @clamp_into_others(%x: tensor<1x2xi8>, %w: tensor<2x2xi8>, %a: tensor<1x2x2x2xi8>, %acc: tensor<4xi32>)
    -> (tensor<1x2xi8>, tensor<1x2x2x2xi8>, tensor<4xi8>, tensor<1x1x1x2xi8>) {
  %0 = prom.fully_connected %x, %w input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x2xi8>, tensor<2x2xi8>) -> tensor<1x2xi8>
  %1 = prom.clamp %0 min 0 max 127 : tensor<1x2xi8>
  %2 = prom.add %a, %a lhs(1.0, 0) rhs(1.0, 0) output(1.0, 0) : tensor<1x2x2x2xi8>
  %3 = prom.clamp %2 min 0 max 127 : tensor<1x2x2x2xi8>
  %4 = prom.rescale %acc input_zp 0 scales [0.5] output_zp 0 : tensor<4xi32> -> tensor<4xi8>
  %5 = prom.clamp %4 min 0 max 127 : tensor<4xi8>
  %6 = prom.avg_pool2d %a kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0] input(1.0, 0) output(1.0, 0) : tensor<1x2x2x2xi8> -> tensor<1x1x1x2xi8>
  %7 = prom.clamp %6 min 0 max 127 : tensor<1x1x1x2xi8>
  return %1, %3, %5, %7 : tensor<1x2xi8>, tensor<1x2x2x2xi8>, tensor<4xi8>, tensor<1x1x1x2xi8>
}

// -----

// Not folded: the conv result has another user, which must see the unclamped value.
// CHECK-LABEL: func @clamp_other_user
// CHECK: %[[Y:.*]] = prom.conv2d
// CHECK-NOT: clamp [
// CHECK: %[[C:.*]] = prom.clamp %[[Y]] min 0 max 127
// CHECK: return %[[C]], %[[Y]]
func.func @clamp_other_user(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>) -> (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) {
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(1.0, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>) -> tensor<1x4x4x2xi8>
  %c = prom.clamp %y min 0 max 127 : tensor<1x4x4x2xi8>
  return %c, %y : tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>
}

// -----

// Disjoint ranges are left alone.
// CHECK-LABEL: func @clamp_disjoint
// CHECK: prom.clamp {{.*}} min 20 max 30
// CHECK: prom.clamp {{.*}} min 50 max 60
func.func @clamp_disjoint(%x: tensor<4xi8>) -> tensor<4xi8> {
  %a = prom.clamp %x min 20 max 30 : tensor<4xi8>
  %b = prom.clamp %a min 50 max 60 : tensor<4xi8>
  return %b : tensor<4xi8>
}

// -----

// clamp(clamp) -> one clamp; a full-range clamp disappears.
// CHECK-LABEL: func @clamp_clamp
// CHECK-NEXT: %[[C:.*]] = prom.clamp %{{.*}} min 0 max 6
// CHECK-NEXT: return %[[C]]
func.func @clamp_clamp(%x: tensor<4xi8>) -> tensor<4xi8> {
  %a = prom.clamp %x min -128 max 6 : tensor<4xi8>
  %b = prom.clamp %a min 0 max 127 : tensor<4xi8>
  %c = prom.clamp %b min -128 max 127 : tensor<4xi8>
  return %c : tensor<4xi8>
}

// -----

// Identity rescale and single-input concat fold away.
// CHECK-LABEL: func @identities
// CHECK-NEXT: return %arg0, %arg0
func.func @identities(%x: tensor<1x4xi8>) -> (tensor<1x4xi8>, tensor<1x4xi8>) {
  %r = prom.rescale %x input_zp 7 scales [1.0] output_zp 7 : tensor<1x4xi8> -> tensor<1x4xi8>
  %c = prom.concat %x axis 1 : (tensor<1x4xi8>) -> tensor<1x4xi8>
  return %r, %c : tensor<1x4xi8>, tensor<1x4xi8>
}

// -----

// A rescale that changes anything stays.
// CHECK-LABEL: func @rescale_kept
// CHECK-COUNT-3: prom.rescale
func.func @rescale_kept(%x: tensor<1x4xi8>) -> (tensor<1x4xi8>, tensor<1x4xi8>, tensor<1x4xi8>) {
  %a = prom.rescale %x input_zp 7 scales [1.0] output_zp 6 : tensor<1x4xi8> -> tensor<1x4xi8>
  %b = prom.rescale %x input_zp 7 scales [0.5] output_zp 7 : tensor<1x4xi8> -> tensor<1x4xi8>
  %c = prom.rescale %x input_zp 7 scales [1.0] output_zp 7 clamp [0, 127] : tensor<1x4xi8> -> tensor<1x4xi8>
  return %a, %b, %c : tensor<1x4xi8>, tensor<1x4xi8>, tensor<1x4xi8>
}
