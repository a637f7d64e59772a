// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-merged-conv-vector | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels --prom-merged-conv-vector | FileCheck %s --check-prefix=AVX2
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-merged-conv-vector | FileCheck %s --check-prefix=PAIRS

// HASTE's merged convolution: the channel count (and here the patch) is
// dynamic. The filter is HWCF, as prom-haste merges it, so it is read as it
// is, one block of output channels per vector, masked (20 = 16 + 4 is not
// whole blocks); a tile of 6 pixels x 2 blocks runs one channel loop per window
// position (9 for 3x3), a broadcast per pixel and a multiply and a separate
// add per accumulator; the pixels left over run one at a time.
// CHECK-LABEL: func.func @merged_f32
// CHECK-NOT:   linalg.transpose
// CHECK-NOT:   tensor.pad
// CHECK:       scf.for %[[P:.*]] = %c0 to %{{.*}} step %c6
// CHECK-COUNT-12: vector.transfer_read %{{.*}} : tensor<1x?x?x20xf32>, vector<16xf32>
// CHECK:       scf.for %{{.*}} = %c0 to %{{.*}} step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-2: vector.transfer_read %{{.*}}, %{{.*}} : tensor<3x3x?x20xf32>, vector<16xf32>
// CHECK:         tensor.extract %{{.*}} : tensor<1x?x?x?xf32>
// CHECK-NEXT:    vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK-NEXT:    arith.mulf
// CHECK-NEXT:    arith.addf
// CHECK-NOT:     vector.fma
// CHECK-COUNT-8: scf.for %{{.*}} = %c0 to %{{.*}} step %c1 iter_args
// CHECK:       vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x?x?x20xf32>
// CHECK:       scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1 iter_args
// CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
// AVX2-LABEL: func.func @merged_f32
// AVX2:       step %c4
// AVX2:       arith.mulf %{{.*}}, %{{.*}} : vector<8xf32>
func.func @merged_f32(%x: tensor<1x?x?x?xf32>, %w: tensor<3x3x?x20xf32>, %init: tensor<1x?x?x20xf32>) -> tensor<1x?x?x20xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x?x?x?xf32>, tensor<3x3x?x20xf32>) outs(%init : tensor<1x?x?x20xf32>) -> tensor<1x?x?x20xf32>
  return %y : tensor<1x?x?x20xf32>
}

// The integer form (HASTE on prom.conv2d): i32 lanes, muli and addi; a
// stride 2 window and 32 output channels (two whole blocks: no padding, no
// masked accesses).
// CHECK-LABEL: func.func @merged_i32
// CHECK-NOT:   vector.transfer_read %{{.*}}, %{{.*}} : tensor<1x1x?x32xi32>
// CHECK:       arith.muli %{{.*}}, %c2 : index
// CHECK:       arith.muli %{{.*}} : vector<16xi32>
// CHECK-NEXT:  arith.addi %{{.*}} : vector<16xi32>
// CHECK:       vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<1x4x4x32xi32>
// CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
func.func @merged_i32(%x: tensor<1x8x8x?xi32>, %w: tensor<1x1x?x32xi32>, %init: tensor<1x4x4x32xi32>) -> tensor<1x4x4x32xi32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x8x?xi32>, tensor<1x1x?x32xi32>) outs(%init : tensor<1x4x4x32xi32>) -> tensor<1x4x4x32xi32>
  return %y : tensor<1x4x4x32xi32>
}

// Mixed element types, a second image and the OHWI filter layout are left
// to the reference lowering.
// CHECK-LABEL: func.func @not_merged
// CHECK-COUNT-2: linalg.conv_2d_nhwc_hwcf
// CHECK:       linalg.conv_2d_nhwc_fhwc
func.func @not_merged(%x: tensor<1x4x4x?xi8>, %w: tensor<1x1x?x8xi8>, %init: tensor<1x4x4x8xi32>,
                      %x2: tensor<2x4x4x3xf32>, %w2: tensor<1x1x3x8xf32>, %init2: tensor<2x4x4x8xf32>,
                      %x3: tensor<1x4x4x?xf32>, %w3: tensor<8x1x1x?xf32>, %init3: tensor<1x4x4x8xf32>) -> (tensor<1x4x4x8xi32>, tensor<2x4x4x8xf32>, tensor<1x4x4x8xf32>) {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x?xi8>, tensor<1x1x?x8xi8>) outs(%init : tensor<1x4x4x8xi32>) -> tensor<1x4x4x8xi32>
  %y2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x2, %w2 : tensor<2x4x4x3xf32>, tensor<1x1x3x8xf32>) outs(%init2 : tensor<2x4x4x8xf32>) -> tensor<2x4x4x8xf32>
  %y3 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x3, %w3 : tensor<1x4x4x?xf32>, tensor<8x1x1x?xf32>) outs(%init3 : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %y, %y2, %y3 : tensor<1x4x4x8xi32>, tensor<2x4x4x8xf32>, tensor<1x4x4x8xf32>
}

// i16 operands into i32 (prom-haste's narrowed integer form). With an isa
// (merged-conv-vector-widen.mlir: without, each step widens one channel):
// the weights are packed as channel
// pairs per output channel ([3][3][ceil(C/2)][32 x 2]: rows 2t and 2t + 1
// read a block at a time, masked past 20, and interleaved), each step
// broadcasts one input pair as an i32 and multiplies with vpmaddwd; an odd
// channel count ends with one step on the last channel paired with 0.
// PAIRS-LABEL: func.func @merged_i16
// PAIRS:       tensor.empty(%{{.*}}) : tensor<3x3x?x64xi16>
// PAIRS:       vector.transfer_read %{{.*}}, %{{.*}} : tensor<3x3x?x20xi16>, vector<16xi16>
// PAIRS:       arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi16>
// PAIRS:       vector.interleave %{{.*}}, %{{.*}} : vector<16xi16> -> vector<32xi16>
// PAIRS:       vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<32xi16>, tensor<3x3x?x64xi16>
// PAIRS:       arith.divui %{{.*}}, %c2 : index
// PAIRS:       scf.for
// PAIRS:         vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<3x3x?x64xi16>, vector<32xi16>
// PAIRS:         vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x6x6x?xi16>, vector<2xi16>
// PAIRS-NEXT:    vector.bitcast %{{.*}} : vector<2xi16> to vector<1xi32>
// PAIRS:         vector.bitcast %{{.*}} : vector<16xi32> to vector<32xi16>
// PAIRS-NEXT:    prom_x86.dot vpmaddwd %{{.*}} : vector<32xi16> -> vector<16xi32>
// PAIRS:       arith.remui %{{.*}}, %c2 : index
// PAIRS:       scf.if
// PAIRS:         arith.extui %{{.*}} : i16 to i32
// PAIRS:         prom_x86.dot vpmaddwd
func.func @merged_i16(%x: tensor<1x6x6x?xi16>, %w: tensor<3x3x?x20xi16>, %init: tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x6x6x?xi16>, tensor<3x3x?x20xi16>) outs(%init : tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32>
  return %y : tensor<1x4x4x20xi32>
}

// prom-haste's integer form: the accumulators start from a broadcast bias
// and the one use requantizes per output channel. Fused: the bias vector
// starts each accumulator, the requantization runs on the tile's vectors,
// and the stores are i8; neither the bias tile nor the i32 result remains.
// Without a broadcast bias as the start, the rescale stays.
// PAIRS-LABEL: func.func @merged_requant
// PAIRS-NOT:   linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x20xi32>)
// PAIRS:       prom_x86.dot vpmaddwd
// PAIRS:       vector.transfer_write %{{.*}} : vector<16xi8>, tensor<1x4x4x20xi8>
// PAIRS-NOT:   prom.rescale
// PAIRS-LABEL: func.func @not_fused
// PAIRS:       prom.rescale
func.func @merged_requant(%x: tensor<1x6x6x?xi16>, %w: tensor<3x3x?x20xi16>, %bias: tensor<20xi32>) -> tensor<1x4x4x20xi8> {
  %e = tensor.empty() : tensor<1x4x4x20xi32>
  %init = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<20xi32>) outs(%e : tensor<1x4x4x20xi32>) {
  ^bb0(%in: i32, %out: i32):
    linalg.yield %in : i32
  } -> tensor<1x4x4x20xi32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x6x6x?xi16>, tensor<3x3x?x20xi16>) outs(%init : tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32>
  %r = prom.rescale %y input_zp 0 scales [0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002] axis 3 output_zp -3 clamp [-128, 100] : tensor<1x4x4x20xi32> -> tensor<1x4x4x20xi8>
  return %r : tensor<1x4x4x20xi8>
}
func.func @not_fused(%x: tensor<1x6x6x?xi16>, %w: tensor<3x3x?x20xi16>, %init: tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi8> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x6x6x?xi16>, tensor<3x3x?x20xi16>) outs(%init : tensor<1x4x4x20xi32>) -> tensor<1x4x4x20xi32>
  %r = prom.rescale %y input_zp 0 scales [0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002] axis 3 output_zp -3 : tensor<1x4x4x20xi32> -> tensor<1x4x4x20xi8>
  return %r : tensor<1x4x4x20xi8>
}

