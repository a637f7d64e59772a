// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-depthwise-vector | FileCheck %s --check-prefix=PAIRS
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels=depthwise-form=multiply --prom-depthwise-vector | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels --prom-depthwise-vector | FileCheck %s --check-prefix=AVX2

// 18 channels, 3x3, stride 2, padding 1 with the zero point 5. In the
// multiply form the weights move to [taps, channels] i32. The zero-point
// term -5 * (sum of a channel's 9 weights) = -5 * 9 * 2 = -90 is folded
// into the requantization: the accumulators reach only [-90 - 2304,
// -90 + 2286], so the narrow form (acc * m + c) >> t is exact, the
// accumulators start at 0 and c = 6710943 holds -90 * m.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG:   arith.constant dense<2> : tensor<9x18xi32>
// CHECK-DAG:   arith.constant dense<0> : tensor<18xi32>
// CHECK-DAG:   arith.constant dense<671088> : tensor<18xi32>
// CHECK-DAG:   arith.constant dense<27> : tensor<18xi32>
// CHECK-DAG:   arith.constant dense<6710943> : tensor<18xi32>
// No padded copy: reads whose taps may fall in the padding (output row 0,
// output column 0) check their position and read the zero point 5 there.
// CHECK-NOT:   tensor.pad
// CHECK:       %[[ZP:.+]] = arith.constant dense<5> : vector<16xi8>
// Loops n, rows [0, 1), channel blocks of 16 (two, the second overlapping),
// one tile of the 3 columns: 27 checked reads.
// CHECK:       scf.for
// CHECK:       scf.for
// CHECK:       scf.for %{{.*}} = %c0 to %c2
// CHECK:       arith.minsi %{{.*}}, %c2 : index
// CHECK:       scf.for %{{.*}} = %c0 to %c1
// CHECK-COUNT-27: scf.if %{{.*}} -> (vector<16xi8>)
// CHECK:       vector.transfer_write
// Rows [1, 3): column 0 checked (9 reads), then columns 1-2 read directly.
// CHECK:       scf.for %{{.*}} = %c0 to %c2
// CHECK:       scf.for %{{.*}} = %c0 to %c2
// CHECK:       scf.for %{{.*}} = %c0 to %c1
// CHECK-COUNT-9: scf.if %{{.*}} -> (vector<16xi8>)
// CHECK:       yield %[[ZP]]
// CHECK:       scf.for %{{.*}} = %c0 to %c1
// CHECK-NOT:   scf.if
// CHECK-COUNT-18: arith.muli %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK-COUNT-2: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<1x3x3x18xi8>
// CHECK-NOT:   prom.conv2d
// The vpmaddwd form (the x86 default): 6 steps of taps, (0, j) with (1, j)
// for j = 0..2, then row 2's taps alone, the weights [steps][channels][2]
// i16 (a lone tap's second weight 0). A pair's two reads are widened to
// i16 and interleaved; a lone tap's read is sign-extended to i32 and seen
// as i16 pairs.
// PAIRS-LABEL: func.func @depthwise
// PAIRS-DAG:   arith.constant dense<6710943> : tensor<18xi32>
// PAIRS-DAG:   %[[W:.+]] = arith.constant dense<"0x{{(02000200)+(02000000)+}}"> : tensor<6x36xi16>
// PAIRS:       %[[W0:.+]] = vector.transfer_read %[[W]][%c0, %{{.*}}]{{.*}} : tensor<6x36xi16>, vector<32xi16>
// PAIRS:       %[[A:.+]] = arith.extsi %{{.*}} : vector<16xi8> to vector<16xi16>
// PAIRS:       %[[B:.+]] = arith.extsi %{{.*}} : vector<16xi8> to vector<16xi16>
// PAIRS:       %[[P:.+]] = vector.shuffle %[[A]], %[[B]] [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31] : vector<16xi16>, vector<16xi16>
// PAIRS:       prom_x86.dot vpmaddwd %{{.*}}, %[[P]], %[[W0]] : vector<32xi16> -> vector<16xi32>
// PAIRS:       %[[W3:.+]] = vector.transfer_read %[[W]][%c3, %{{.*}}]{{.*}} : tensor<6x36xi16>, vector<32xi16>
// PAIRS:       %[[L:.+]] = arith.extsi %{{.*}} : vector<16xi8> to vector<16xi32>
// PAIRS:       %[[LP:.+]] = vector.bitcast %[[L]] : vector<16xi32> to vector<32xi16>
// PAIRS:       prom_x86.dot vpmaddwd %{{.*}}, %[[LP]], %[[W3]] : vector<32xi16> -> vector<16xi32>
// Rows [1, 3): column 0 checked (9 reads), then columns 1-2 read directly:
// 6 steps for each of 2 pixels.
// PAIRS:       scf.for %{{.*}} = %c0 to %c2
// PAIRS:       scf.for %{{.*}} = %c0 to %c2
// PAIRS:       scf.for %{{.*}} = %c0 to %c1
// PAIRS-COUNT-9: scf.if %{{.*}} -> (vector<16xi8>)
// PAIRS:       scf.for %{{.*}} = %c0 to %c1
// PAIRS-NOT:   scf.if
// PAIRS-COUNT-12: prom_x86.dot vpmaddwd
// PAIRS-NOT:   prom.conv2d
// AVX2-LABEL: func.func @depthwise
// AVX2:       prom_x86.dot vpmaddwd %{{.*}} : vector<16xi16> -> vector<8xi32>
// AVX2-NOT:   prom.conv2d
func.func @depthwise(%x: tensor<1x6x6x18xi8>) -> tensor<1x3x3x18xi8> {
  %w = arith.constant dense<2> : tensor<18x3x3x1xi8>
  %y = prom.conv2d %x, %w stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 18 input(0.05, 5) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x6x6x18xi8>, tensor<18x3x3x1xi8>) -> tensor<1x3x3x18xi8>
  return %y : tensor<1x3x3x18xi8>
}

// Fewer channels than lanes, a channel multiplier of 2, a dense conv:
// left to the reference lowering.
// CHECK-LABEL: func.func @not_taken
// CHECK-COUNT-3: prom.conv2d
// PAIRS-LABEL: func.func @not_taken
// PAIRS-COUNT-3: prom.conv2d
// AVX2-LABEL: func.func @not_taken
// AVX2:       prom_x86.dot vpmaddwd %{{.*}} : vector<16xi16> -> vector<8xi32>
// AVX2-COUNT-2: prom.conv2d
func.func @not_taken(%x: tensor<1x4x4x8xi8>) -> (tensor<1x4x4x8xi8>, tensor<1x4x4x16xi8>, tensor<1x4x4x8xi8>) {
  %w1 = arith.constant dense<1> : tensor<8x1x1x1xi8>
  %w2 = arith.constant dense<1> : tensor<16x1x1x1xi8>
  %w3 = arith.constant dense<1> : tensor<8x1x1x8xi8>
  %a = prom.conv2d %x, %w1 stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 8 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x8xi8>, tensor<8x1x1x1xi8>) -> tensor<1x4x4x8xi8>
  %b = prom.conv2d %x, %w2 stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 8 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x8xi8>, tensor<16x1x1x1xi8>) -> tensor<1x4x4x16xi8>
  %c = prom.conv2d %x, %w3 stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x8xi8>, tensor<8x1x1x8xi8>) -> tensor<1x4x4x8xi8>
  return %a, %b, %c : tensor<1x4x4x8xi8>, tensor<1x4x4x16xi8>, tensor<1x4x4x8xi8>
}

