// RUN: prom-opt %s --prom-cost-report="report=%t.json table=%t.txt" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s < %t.json
// RUN: FileCheck %s --check-prefix=TABLE < %t.txt
// The shipped default table is the built-in one.
// RUN: prom-opt %s --prom-cost-report="report=%t.file.json energy-table=%prom_src_root/data/energy/horowitz-45nm.json" -o /dev/null
// RUN: diff %t.json %t.file.json
// RUN: prom-opt %s --prom-cost-report="report=%t.all.json energy-table=%prom_src_root/data/energy/dense-int8-adds.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=DENSE < %t.all.json

// The IR is left as it was.
// IR: prom.conv2d
// IR: prom.ternary_conv2d

// int8 3x3 conv, 4 -> 6 channels, 8x8 output: 64 pixels x 6 channels x 36
// weights = 13824 MACs; 216 weights + 6 f32 scales + 6 i32 biases = 264
// bytes; 13824 x (0.2 int8 mult + 0.1 int32 add) = 4147.2 pJ.
// CHECK-LABEL: "layers"
// CHECK:       "layer": "stem",
// CHECK-NEXT:  "op": "prom.conv2d",
// CHECK-NEXT:  "weights_form": "int8",
// CHECK-NEXT:  "macs": 13824,
// CHECK-NEXT:  "multiplies": 13824,
// CHECK-NEXT:  "additions": 13824,
// CHECK-NEXT:  "weights": 216,
// CHECK-NEXT:  "nonzero_weights": 216,
// CHECK-NEXT:  "output_channels": 6,
// CHECK-NEXT:  "weight_bytes": 264,
// CHECK-NEXT:  "activation_bytes": 384,
// CHECK-NEXT:  "energy_pj": 4147.2{{[0-9]*}},
// CHECK-NEXT:  "fp16_energy_pj": 20736,
// Ternary 1x1, 4 -> 2 channels, 4x4 output, 6 nonzero weights: 16 x 6 =
// 96 additions, no multiplies (dense: 16 x 2 x 4 = 128 MACs); 8 trits in 2
// bytes + 2 scales (no bias) = 10 bytes; 96 x 0.1 pJ.
// CHECK:       "layer": "proj",
// CHECK-NEXT:  "op": "prom.ternary_conv2d",
// CHECK-NEXT:  "weights_form": "ternary",
// CHECK-NEXT:  "macs": 128,
// CHECK-NEXT:  "multiplies": 0,
// CHECK-NEXT:  "additions": 96,
// CHECK-NEXT:  "weights": 8,
// CHECK-NEXT:  "nonzero_weights": 6,
// CHECK-NEXT:  "output_channels": 2,
// CHECK-NEXT:  "weight_bytes": 10,
// CHECK-NEXT:  "activation_bytes": 32,
// CHECK-NEXT:  "energy_pj": 9.6{{[0-9]*}},
// A float classifier left in f32: 8 x 3 = 24 MACs at fp32 (3.7 + 0.9 pJ),
// 96 bytes of weights, no bias.
// CHECK:       "op": "tosa.matmul",
// CHECK-NEXT:  "weights_form": "fp32",
// CHECK-NEXT:  "macs": 24,
// CHECK:       "weight_bytes": 96,
// CHECK:       "energy_pj": 110.4{{[0-9]*}},
// CHECK-LABEL: "total"
// CHECK-NEXT:  "layers": 3,
// CHECK-NEXT:  "macs": 13976,
// CHECK-NEXT:  "multiplies": 13848,
// CHECK-NEXT:  "additions": 13944,
// CHECK-NEXT:  "weights": 248,
// CHECK-NEXT:  "weight_bytes": 370,
// fp16: 2 bytes per weight and bias: 2 x 248 + 2 x 6 = 508.
// CHECK:       "fp16": {
// CHECK-NEXT:  "weight_bytes": 508,
// CHECK-NEXT:  "energy_pj": 20964
// int8: 248 + 6 x 8 (stem) + 2 x 4 (proj) + 3 x 4 (classifier) = 316.
// CHECK:       "int8": {
// CHECK-NEXT:  "weight_bytes": 316,
// TABLE: layer weights MACs mults adds bytes energy nJ
// TABLE: stem int8 13824 13824 13824 264 4.1
// TABLE: proj ternary 128 0 96 10 0.0
// TABLE: vs fp16: {{[0-9.]+}}x less energy, 1.37x less storage (Horowitz, ISSCC 2014, 45 nm)

// Ternary additions for every weight (zeros too) and int8 adds: 128 x 0.03.
// DENSE:       "layer": "proj",
// DENSE:       "energy_pj": {{3\.84|3\.8399}}

func.func @model(%x: tensor<1x8x8x4xi8>, %p: tensor<1x4x4x4xi8>, %f: tensor<1x1x8xf32>) -> (tensor<1x8x8x6xi8>, tensor<1x4x4x2xi8>, tensor<1x1x3xf32>) {
  %w = "tosa.const"() <{values = dense<1> : tensor<6x3x3x4xi8>}> : () -> tensor<6x3x3x4xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<6xi32>}> : () -> tensor<6xi32>
  %0 = prom.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 input(0.5, 0) weight_scales [1.0, 1.0, 1.0, 1.0, 1.0, 1.0] output(1.0, 0) : (tensor<1x8x8x4xi8>, tensor<6x3x3x4xi8>, tensor<6xi32>) -> tensor<1x8x8x6xi8> loc("stem")
  %t = "tosa.const"() <{values = dense<[[[[1, 0, -1, 0]]], [[[1, 1, 1, -1]]]]> : tensor<2x1x1x4xi8>}> : () -> tensor<2x1x1x4xi8>
  %1 = prom.ternary_conv2d %p, %t stride [1, 1] input(0.5, 0) weight_scales [1.0, 1.0] output(1.0, 0) : (tensor<1x4x4x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x4x4x2xi8> loc("proj")
  %m = "tosa.const"() <{values = dense<0.5> : tensor<1x8x3xf32>}> : () -> tensor<1x8x3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %2 = tosa.matmul %f, %m, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32>
  return %0, %1, %2 : tensor<1x8x8x6xi8>, tensor<1x4x4x2xi8>, tensor<1x1x3xf32>
}
