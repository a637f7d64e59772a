// RUN: prom-opt %s --prom-haste | FileCheck %s

// Integer HASTE hashes and averages the stored int8 values, takes the zero
// point from the averages, convolves in i32 and requantizes with the conv's
// own rule. The merged operands are narrowed to i16 (the merged conv then
// multiplies i16 pairs) when every output's sum of |w| over its input
// channels is at most 32767: checked on constant weights; 128 per channel
// otherwise. The filter slices are HWCF i8, transposed at compile time
// when the weights are constants (at run time otherwise), and widened to
// the type the conv multiplies as they are merged.

// 300 channels of 109: 32700, fits.
// CHECK-LABEL: func.func @fits
// CHECK:       %[[F:.*]] = arith.constant dense_resource<{{.*}}> : tensor<1x1x300x2xi8>
// CHECK:       prom.haste_buckets %arg0, %{{.*}} : tensor<1x2x2x300xi8>
// CHECK:       prom.merge_channels %arg0, %{{.*}} average : tensor<1x2x2x300xi8>, tensor<300xindex> -> tensor<1x2x2x?xi32>
// CHECK:       %[[W:.*]] = prom.merge_channels %[[F]], %{{.*}} along 2 : tensor<1x1x300x2xi8>, tensor<300xindex> -> tensor<1x1x?x2xi16>
// CHECK:       arith.subi %{{.*}}, %c3_i32 : i32
// CHECK-NEXT:  arith.trunci %{{.*}} : i32 to i16
// CHECK-NOT:   arith.trunci
// CHECK:       linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %[[W]] : tensor<1x2x2x?xi16>, tensor<1x1x?x2xi16>) outs(%{{.*}} : tensor<1x2x2x2xi32>)
// CHECK:       prom.rescale
func.func @fits(%x: tensor<1x2x2x300xi8>) -> tensor<1x2x2x2xi8> {
  %w = arith.constant dense<109> : tensor<2x1x1x300xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.02] output(0.5, -1) : (tensor<1x2x2x300xi8>, tensor<2x1x1x300xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}

// 300 channels of 110: 33000, so the merged conv stays i32.
// CHECK-LABEL: func.func @too_wide
// CHECK-NOT:   arith.trunci
// CHECK:       linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x?xi32>, tensor<1x1x?x2xi32>)
func.func @too_wide(%x: tensor<1x2x2x300xi8>) -> tensor<1x2x2x2xi8> {
  %w = arith.constant dense<110> : tensor<2x1x1x300xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.02] output(0.5, -1) : (tensor<1x2x2x300xi8>, tensor<2x1x1x300xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}

// Unknown weights: 128 per channel, so 255 channels fit and 256 do not.
// CHECK-LABEL: func.func @unknown
// CHECK:       linalg.generic {{.*}} ins(%{{.*}} : tensor<2x1x1x255xi8>) outs(%{{.*}} : tensor<1x1x255x2xi8>)
// CHECK:       prom.merge_channels {{.*}} along 2 : tensor<1x1x255x2xi8>, tensor<255xindex> -> tensor<1x1x?x2xi16>
// CHECK:       linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x?xi16>, tensor<1x1x?x2xi16>)
// CHECK:       linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x?xi32>, tensor<1x1x?x2xi32>)
func.func @unknown(%x: tensor<1x2x2x255xi8>, %w: tensor<2x1x1x255xi8>, %x2: tensor<1x2x2x256xi8>, %w2: tensor<2x1x1x256xi8>, %b: tensor<2xi32>) -> (tensor<1x2x2x2xi8>, tensor<1x2x2x2xi8>) {
  %y = prom.ternary_conv2d %x, %w, %b stride [1, 1] input(0.05, 3) weight_scales [0.01, 0.02] output(0.5, -1) : (tensor<1x2x2x255xi8>, tensor<2x1x1x255xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  %y2 = prom.ternary_conv2d %x2, %w2, %b stride [1, 1] input(0.05, 3) weight_scales [0.01, 0.02] output(0.5, -1) : (tensor<1x2x2x256xi8>, tensor<2x1x1x256xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %y, %y2 : tensor<1x2x2x2xi8>, tensor<1x2x2x2xi8>
}
