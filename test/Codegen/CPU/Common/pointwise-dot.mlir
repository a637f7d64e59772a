// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-pointwise-dot | FileCheck %s --check-prefix=VNNI
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels --prom-pointwise-dot | FileCheck %s --check-prefix=AVX2
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=ternary-kernel=reference --prom-pointwise-dot | FileCheck %s --check-prefix=NOTERNARY
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-pointwise-dot | FileCheck %s --check-prefix=MAP
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels="tile-pixels=6 tile-blocks=1" --prom-pointwise-dot | FileCheck %s --check-prefix=TILE
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels="tile-blocks=2" --prom-pointwise-dot | FileCheck %s --check-prefix=COLUMNS
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels="tile-pixels=4 tile-blocks=3" --prom-pointwise-dot | FileCheck %s --check-prefix=PARTIAL

// w = [[1, 2, 3, 4, 5], [-1, -2, -3, -4, -5], [0, 1, 0, -1, 127]]. VNNI
// packs [columns = 1][steps = 2][blocks = 1][16 lanes][4 channels],
// zero-padded: step 0 holds channels 0-3 of the three rows, step 1
// channel 4. The zero point
// 3 folds into -(3 + 128) * rowsum = [-1965, 1965, -16637].
// VNNI-LABEL: func.func @small
// VNNI-DAG:   arith.constant dense<"0x01020304FFFEFDFC000100FF{{0+}}05000000FB0000007F0000{{0+}}"> : tensor<1x2x1x64xi8>
// VNNI-DAG:   arith.constant dense<[-1965, 1965, -16637, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]> : tensor<16xi32>
// Activations once made unsigned (sign bit flipped, in vectors over the
// flattened tensor: here one of all 15 bytes) and padded to 8.
// VNNI:       arith.xori %{{.*}} : vector<15xi8>
// VNNI:       tensor.pad {{.*}} high[0, 3]
// One pixel tile (all 3 pixels) of one block, the reduction over 2 steps.
// VNNI:       scf.for
// VNNI:       scf.for
// VNNI:       scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args
// VNNI-COUNT-3: prom_x86.dot vpdpbusd {{.*}} : vector<64xi8> -> vector<16xi32>
// VNNI-NOT:   prom_x86.dot
// VNNI:       scf.yield
// Three channels of 16: the one block is stored masked when partial.
// VNNI:       scf.if
// VNNI:       vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<3x3xi8>
// VNNI:       vector.transfer_write {{.*}} : vector<16xi8>, tensor<3x3xi8>
// VNNI-NOT:   prom.conv2d

// On AVX2 these weights are small enough for vpmaddubsw (|w0| + |w1| <=
// 128 per pair); with a pair sum of up to 127 only one step fits in s16
// (32767 / (255 * 127) = 1), so each of the 2 chunks is one step, widened
// by vpmaddwd by ones; 8 lanes a ymm.
// AVX2-LABEL: func.func @small
// AVX2-DAG:   arith.constant dense<1> : vector<16xi16>
// AVX2-DAG:   arith.constant dense<0> : vector<16xi16>
// One tile of 3 pixels x 1 block.
// AVX2:       scf.for %[[CHUNK:.*]] = %c0 to %c2 step %c1 iter_args
// AVX2:         %[[END:.*]] = arith.addi %[[CHUNK]], %c1 : index
// AVX2:         arith.minsi %[[END]], %c2 : index
// AVX2:         scf.for
// AVX2-COUNT-3:   prom_x86.dot vpmaddubsw {{.*}} : vector<32xi8> -> vector<16xi16>
// AVX2:         scf.yield
// AVX2-COUNT-3: prom_x86.dot vpmaddwd {{.*}} : vector<16xi16> -> vector<8xi32>
// (The bias is an input: with unknown accumulator ranges the narrow
// requantization, which folds these terms into its addend, is not taken.)
func.func @small(%x: tensor<1x1x3x5xi8>, %b: tensor<3xi32>) -> tensor<1x1x3x3xi8> {
  %w = arith.constant dense<[[[[1, 2, 3, 4, 5]]], [[[-1, -2, -3, -4, -5]]], [[[0, 1, 0, -1, 127]]]]> : tensor<3x1x1x5xi8>
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x1x3x5xi8>, tensor<3x1x1x5xi8>, tensor<3xi32>) -> tensor<1x1x3x3xi8>
  return %y : tensor<1x1x3x3xi8>
}

// A pair 100 + 100 could saturate vpmaddubsw: AVX2 takes vpmaddwd on s16 x
// s16 pairs instead (activations sign-extended, not flipped; weights
// packed as i16).
// AVX2-LABEL: func.func @large
// AVX2-NOT:   arith.xori
// AVX2:       arith.extsi {{.*}} : vector<16xi8> to vector<16xi16>
// AVX2:       tensor<1x2x1x16xi16>
// AVX2-NOT:   vpmaddubsw
// AVX2:       prom_x86.dot vpmaddwd {{.*}} : vector<16xi16> -> vector<8xi32>
// AVX2-NOT:   vpmaddubsw
func.func @large(%x: tensor<1x2x2x4xi8>, %b: tensor<2xi32>) -> tensor<1x2x2x2xi8> {
  %w = arith.constant dense<[[[[100, 100, 1, 1]]], [[[-128, 5, 0, 0]]]]> : tensor<2x1x1x4xi8>
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01] output(0.1, 0) : (tensor<1x2x2x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}

// Ternary convolutions take the same kernels; stride 2 keeps every other
// pixel first.
// VNNI-LABEL: func.func @ternary
// VNNI:       tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 2, 2, 4] [1, 2, 2, 1]
// VNNI:       prom_x86.dot vpdpbusd
// AVX2-LABEL: func.func @ternary
// AVX2:           prom_x86.dot vpmaddubsw
// NOTERNARY-LABEL: func.func @ternary
// NOTERNARY:  prom.ternary_conv2d
func.func @ternary(%x: tensor<1x4x4x4xi8>) -> tensor<1x2x2x2xi8> {
  %w = arith.constant dense<[[[[1, 0, -1, 1]]], [[[0, 0, 1, -1]]]]> : tensor<2x1x1x4xi8>
  %y = prom.ternary_conv2d %x, %w stride [2, 2] input(0.05, 0) weight_scales [0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}

// Ternary pair sums are at most 2: 64 steps of 4 channels per s16 chunk,
// so 300 channels (75 steps) take two chunks.
// AVX2-LABEL: func.func @ternary_long
// AVX2:       scf.for %[[CHUNK:.*]] = %c0 to %c2 step %c1 iter_args
// AVX2:         arith.muli %[[CHUNK]], %c64 : index
// AVX2:         arith.minsi %{{.*}}, %c75 : index
// AVX2:           prom_x86.dot vpmaddubsw
func.func @ternary_long(%x: tensor<1x1x1x300xi8>) -> tensor<1x1x1x2xi8> {
  %w = arith.constant dense<-1> : tensor<2x1x1x300xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.05, 0) weight_scales [0.01, 0.01] output(0.1, 0) : (tensor<1x1x1x300xi8>, tensor<2x1x1x300xi8>) -> tensor<1x1x1x2xi8>
  return %y : tensor<1x1x1x2xi8>
}

// A 3x3 window and a padded 1x1 go through im2col (below); groups and
// weights that are not constant are not taken.
// AVX2-LABEL: func.func @not_taken
// AVX2:       prom_x86.dot
// AVX2:       prom_x86.dot
// AVX2-COUNT-2: prom.conv2d
// AVX2-NOT:   prom_x86.dot
func.func @not_taken(%x: tensor<1x4x4x4xi8>, %w: tensor<4x1x1x4xi8>) -> (tensor<1x2x2x4xi8>, tensor<1x6x6x4xi8>, tensor<1x4x4x4xi8>, tensor<1x4x4x4xi8>) {
  %w3 = arith.constant dense<1> : tensor<4x3x3x4xi8>
  %w1 = arith.constant dense<1> : tensor<4x1x1x4xi8>
  %w2 = arith.constant dense<1> : tensor<4x1x1x2xi8>
  %a = prom.conv2d %x, %w3 stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x4xi8>, tensor<4x3x3x4xi8>) -> tensor<1x2x2x4xi8>
  %b = prom.conv2d %x, %w1 stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x4xi8>, tensor<4x1x1x4xi8>) -> tensor<1x6x6x4xi8>
  %c = prom.conv2d %x, %w2 stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 2 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x4xi8>, tensor<4x1x1x2xi8>) -> tensor<1x4x4x4xi8>
  %d = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x4x4x4xi8>, tensor<4x1x1x4xi8>) -> tensor<1x4x4x4xi8>
  return %a, %b, %c, %d : tensor<1x2x2x4xi8>, tensor<1x6x6x4xi8>, tensor<1x4x4x4xi8>, tensor<1x4x4x4xi8>
}

// 17 output channels, a bias that is an input (so the accumulators have no
// bound below any i32, and the narrow form is not taken). Requantization: 0.05 * 0.01 / 0.1 = 0.64 * 2^-7 has
// shift s = 38 >= 33, so it runs in i32 lanes around unsigned 32 x 32 ->
// 64 multiplies of the even and the odd lanes (no lane widened): the shift
// tensor holds s - 32 = 6, the rounding term 2^(s - 33) = 32 (padding
// channels: m = 0, 1 and 1). The second block holds one channel, stored as
// a scalar: LLVM 22 widens a one-lane masked store of a truncated vector to
// the whole i32 lane.
// VNNI-LABEL: func.func @one_channel_block
// VNNI-DAG:   arith.constant dense<[6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]> : tensor<32xi32>
// VNNI-DAG:   arith.constant dense<[32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]> : tensor<32xi32>
// VNNI:       vector.bitcast {{.*}} : vector<16xi32> to vector<8xi64>
// VNNI:       arith.muli {{.*}} : vector<8xi64>
// VNNI:       arith.muli {{.*}} : vector<8xi64>
// VNNI:       vector.bitcast {{.*}} : vector<8xi64> to vector<16xi32>
// VNNI-NOT:   vector<16xi64>
// VNNI:       scf.if
// VNNI:         vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<2x17xi8>
// VNNI:       } else {
// VNNI-NEXT:    vector.extract %{{.*}}[0] : i8 from vector<16xi8>
// VNNI-NEXT:    tensor.insert
// AVX2 (8 lanes: blocks 0-7, 8-15, 16) likewise.
// AVX2-LABEL: func.func @one_channel_block
// AVX2:       } else {
// AVX2-NEXT:    vector.extract %{{.*}}[0] : i8 from vector<8xi8>
// AVX2-NEXT:    tensor.insert
func.func @one_channel_block(%x: tensor<1x1x2x4xi8>, %b: tensor<17xi32>) -> tensor<1x1x2x17xi8> {
  %w = arith.constant dense<1> : tensor<17x1x1x4xi8>
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x1x2x4xi8>, tensor<17x1x1x4xi8>, tensor<17xi32>) -> tensor<1x1x2x17xi8>
  return %y : tensor<1x1x2x17xi8>
}

// A scale of 0.05 * 0.01 / 0.0019 = 0.263 has s = 32 (and the bias is an
// input): the i64 form of the reference (sign-extended, multiplied and shifted in i64 lanes).
// VNNI-LABEL: func.func @wide_requantization
// AVX2-LABEL: func.func @wide_requantization
// VNNI:       arith.extsi {{.*}} : vector<16xi32> to vector<16xi64>
// VNNI:       arith.muli {{.*}} : vector<16xi64>
// VNNI:       arith.shrsi {{.*}} : vector<16xi64>
func.func @wide_requantization(%x: tensor<1x1x2x4xi8>, %b: tensor<16xi32>) -> tensor<1x1x2x16xi8> {
  %w = arith.constant dense<1> : tensor<16x1x1x4xi8>
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.0019, 0) : (tensor<1x1x2x4xi8>, tensor<16x1x1x4xi8>, tensor<16xi32>) -> tensor<1x1x2x16xi8>
  return %y : tensor<1x1x2x16xi8>
}

// A dense 3x3 convolution, stride 2, padding 1, dilation 2 (MobileNetV2's
// stem is 3x3 over 3 channels): the input padded with its zero point 7,
// each output pixel's window copied into a row [kh][kw][ci] (im2col, 27
// columns), then the same kernel over 27 input channels (with vpdpbusd
// 7 steps of 4, the 28th column zero padding). Rows read input pixel
// (oh * 2 + kh * 2, ow * 2 + kw * 2):
// MAP: affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3 * 2, d2 * 2 + d4 * 2, d5)>
// VNNI-LABEL: func.func @window
// VNNI:       tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// VNNI:         tensor.yield %c7_i8
// VNNI:       linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
// VNNI-SAME:    ins(%{{.*}} : tensor<1x7x7x3xi8>) outs(%{{.*}} : tensor<1x2x2x3x3x3xi8>)
// VNNI:       tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x2x2x3x3x3xi8> into tensor<4x27xi8>
// VNNI:       tensor.pad {{.*}} high[0, 1]
// VNNI:       scf.for %{{.*}} = %c0 to %c7 step %c1 iter_args
// VNNI:       prom_x86.dot vpdpbusd
// VNNI-NOT:   prom.conv2d
func.func @window(%x: tensor<1x5x5x3xi8>) -> tensor<1x2x2x4xi8> {
  %w = arith.constant dense<3> : tensor<4x3x3x3xi8>
  %y = prom.conv2d %x, %w stride [2, 2] pad [1, 1, 1, 1] dilation [2, 2] groups 1 input(0.05, 7) weight_scales [0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x5x5x3xi8>, tensor<4x3x3x3xi8>) -> tensor<1x2x2x4xi8>
  return %y : tensor<1x2x2x4xi8>
}

// 7 x 7 = 49 pixels, 2 blocks of 16 channels, one step: the chosen tile is
// 7 pixels x 2 blocks (7 tiles, nothing computed twice; 6 pixels would
// take 9 tiles, the last overlapping), unless overridden: 6 x 1.
// VNNI-LABEL: func.func @seven_by_seven
// VNNI:       scf.for %{{.*}} = %c0 to %c7 step %c1
// VNNI:         arith.muli %{{.*}}, %c7 : index
// VNNI:         arith.minsi %{{.*}}, %c42 : index
// VNNI:         scf.for
// VNNI-COUNT-14: prom_x86.dot vpdpbusd
// VNNI-NOT:     prom_x86.dot
// VNNI:         scf.yield
// TILE-LABEL: func.func @seven_by_seven
// TILE:       scf.for %{{.*}} = %c0 to %c2 step %c1
// TILE:       scf.for %{{.*}} = %c0 to %c9 step %c1
// TILE:         arith.minsi %{{.*}}, %c43 : index
// TILE:         scf.for
// TILE-COUNT-6: prom_x86.dot vpdpbusd
// TILE-NOT:     prom_x86.dot
// TILE:         scf.yield
func.func @seven_by_seven(%x: tensor<1x7x7x4xi8>) -> tensor<1x7x7x32xi8> {
  %w = arith.constant dense<1> : tensor<32x1x1x4xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x7x7x4xi8>, tensor<32x1x1x4xi8>) -> tensor<1x7x7x32xi8>
  return %y : tensor<1x7x7x32xi8>
}

// Constant weights and bias bound each channel's accumulators: bias -
// (3 + 128) * 4 (the zero-point term) + [0, 255 * 4], here [1476, 2496] and
// [2476, 3496], few enough for findNarrowFixedPoint: the scale 0.005 as
// 335544 * 2^-26, the output zero point 5 folded into the addend.
// Requantization is then one i32 multiply, add and arithmetic shift per
// lane (no 64-bit products).
// VNNI-LABEL: func.func @narrow_requantization
// VNNI-DAG:   arith.constant dense<335544> : tensor<16xi32>
// VNNI-DAG:   arith.constant dense<26> : tensor<16xi32>
// VNNI-NOT:   {{vector<[0-9]+xi64>}}
// VNNI:       %[[P:.*]] = arith.muli %{{.*}} : vector<16xi32>
// VNNI:       %[[S:.*]] = arith.addi %[[P]], %{{.*}} : vector<16xi32>
// VNNI:       arith.shrsi %[[S]], %{{.*}} : vector<16xi32>
// VNNI-NOT:   {{vector<[0-9]+xi64>}}
// On AVX2 the multipliers are asked to fit i16 first: 20971 * 2^-22. The
// vpmaddwd that widens each chunk's s16 pair sums then multiplies by it
// (m' in both halves of each i32 lane), and the requantization is an add
// and a shift.
// AVX2-LABEL: func.func @narrow_requantization
// AVX2-DAG:   %[[M:.*]] = arith.constant dense<20971> : tensor<16xi32>
// AVX2-DAG:   arith.constant dense<22> : tensor<16xi32>
// AVX2-NOT:   {{vector<[0-9]+xi64>}}
// AVX2:       %[[MV:.*]] = vector.transfer_read %[[M]]
// AVX2:       %[[HIGH:.*]] = arith.shli %[[MV]], %{{.*}} : vector<8xi32>
// AVX2:       %[[BOTH:.*]] = arith.ori %[[MV]], %[[HIGH]] : vector<8xi32>
// AVX2:       %[[PAIRS:.*]] = vector.bitcast %[[BOTH]] : vector<8xi32> to vector<16xi16>
// AVX2:       prom_x86.dot vpmaddwd %{{.*}}, %{{.*}}, %[[PAIRS]]
// AVX2-NOT:   arith.muli %{{.*}} : vector<16xi32>
// AVX2:       arith.addi %{{.*}} : vector<16xi32>
// AVX2-NEXT:  arith.shrsi %{{.*}} : vector<16xi32>
// AVX2-NOT:   {{vector<[0-9]+xi64>}}
// AVX2-NOT:   arith.muli %{{.*}} : vector<16xi32>
// AVX2:       return
func.func @narrow_requantization(%x: tensor<1x1x2x4xi8>) -> tensor<1x1x2x16xi8> {
  %w = arith.constant dense<1> : tensor<16x1x1x4xi8>
  %b = arith.constant dense<[2000, 3000, 2000, 3000, 2000, 3000, 2000, 3000, 2000, 3000, 2000, 3000, 2000, 3000, 2000, 3000]> : tensor<16xi32>
  %y = prom.ternary_conv2d %x, %w, %b stride [1, 1] input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 5) : (tensor<1x1x2x4xi8>, tensor<16x1x1x4xi8>, tensor<16xi32>) -> tensor<1x1x2x16xi8>
  return %y : tensor<1x1x2x16xi8>
}

// Weights are packed column by column of tiles, so that the tiles of one
// column read contiguous weights: here 3 blocks of 8 channels in columns
// of 2, the last column overlapping its neighbour (blocks 1 and 2, as
// emitTileLoop places it). Row o of the weights is o - 12 four times.
// COLUMNS-LABEL: func.func @columns
// COLUMNS:       arith.constant dense<"0xF4F4F4F4F5F5F5F5F6F6F6F6F7F7F7F7F8F8F8F8F9F9F9F9FAFAFAFAFBFBFBFBFCFCFCFCFDFDFDFDFEFEFEFEFFFFFFFF00000000010101010202020203030303FCFCFCFCFDFDFDFDFEFEFEFEFFFFFFFF000000000101010102020202030303030404040405050505060606060707070708080808090909090A0A0A0A0B0B0B0B"> : tensor<2x1x2x32xi8>
// COLUMNS:       arith.ceildivui %{{.*}}, %c2 : index
func.func @columns(%x: tensor<1x1x2x4xi8>) -> tensor<1x1x2x24xi8> {
  %w = arith.constant dense<[[[[-12, -12, -12, -12]]], [[[-11, -11, -11, -11]]], [[[-10, -10, -10, -10]]], [[[-9, -9, -9, -9]]], [[[-8, -8, -8, -8]]], [[[-7, -7, -7, -7]]], [[[-6, -6, -6, -6]]], [[[-5, -5, -5, -5]]], [[[-4, -4, -4, -4]]], [[[-3, -3, -3, -3]]], [[[-2, -2, -2, -2]]], [[[-1, -1, -1, -1]]], [[[0, 0, 0, 0]]], [[[1, 1, 1, 1]]], [[[2, 2, 2, 2]]], [[[3, 3, 3, 3]]], [[[4, 4, 4, 4]]], [[[5, 5, 5, 5]]], [[[6, 6, 6, 6]]], [[[7, 7, 7, 7]]], [[[8, 8, 8, 8]]], [[[9, 9, 9, 9]]], [[[10, 10, 10, 10]]], [[[11, 11, 11, 11]]]]> : tensor<24x1x1x4xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x1x2x4xi8>, tensor<24x1x1x4xi8>) -> tensor<1x1x2x24xi8>
  return %y : tensor<1x1x2x24xi8>
}

// Every weight +1 over 320 input channels: the accumulators span 255 * 320
// = 81600 values from -(3 + 128) * 320 = -41920, more than
// findNarrowFixedPoint checks one by one, but the scale 2^-8 (0.0625 *
// 2^-7 / 0.125) and the clamp [5, 65] leave only the window [127, 15232]
// unclamped: the narrow form is searched there, 16384 * 2^-22 with the
// addend 23076863 - 41920 * 16384, and holds beyond it (monotone).
// VNNI-LABEL: func.func @clamped_wide_range
// VNNI-DAG:   arith.constant dense<16384> : tensor<16xi32>
// VNNI-DAG:   arith.constant dense<22> : tensor<16xi32>
// VNNI-DAG:   arith.constant dense<-663740417> : tensor<16xi32>
// VNNI-NOT:   {{vector<[0-9]+xi64>}}
// VNNI:       arith.muli %{{.*}} : vector<16xi32>
// VNNI-NOT:   {{vector<[0-9]+xi64>}}
// On AVX2, 16384 fits i16: the widening vpmaddwd multiplies by it.
// AVX2-LABEL: func.func @clamped_wide_range
// AVX2-DAG:   arith.constant dense<16384> : tensor<16xi32>
// AVX2-NOT:   {{vector<[0-9]+xi64>}}
// AVX2:       prom_x86.dot vpmaddwd
// AVX2-NOT:   arith.muli %{{.*}} : vector<16xi32>
// AVX2-NOT:   {{vector<[0-9]+xi64>}}
// AVX2:       return
func.func @clamped_wide_range(%x: tensor<1x1x2x320xi8>) -> tensor<1x1x2x16xi8> {
  %w = arith.constant dense<1> : tensor<16x1x1x320xi8>
  %y = prom.ternary_conv2d %x, %w stride [1, 1] input(0.0625, 3) weight_scales [0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125, 0.0078125] output(0.125, 5) clamp [5, 65] : (tensor<1x1x2x320xi8>, tensor<16x1x1x320xi8>) -> tensor<1x1x2x16xi8>
  return %y : tensor<1x1x2x16xi8>
}

// A tile's stores of its last block share one branch: in a 4x3 tile over
// 40 channels (blocks of 16, the last holding 8), blocks 0 and 1 are whole
// wherever emitTileLoop places the tile, and block 2's four stores sit in
// one scf.if. A branch per store would chain tensor-valued scf.ifs, which
// one-shot bufferization visits in time exponential in the chain's length.
// PARTIAL-LABEL: func.func @partial_last_block
// PARTIAL-COUNT-8: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<4x40xi8>
// PARTIAL:         scf.if
// PARTIAL-COUNT-4:   vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<4x40xi8>
// PARTIAL:         } else {
// PARTIAL-COUNT-4:   vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : vector<16xi8>, tensor<4x40xi8>
// PARTIAL-NOT:     scf.if
func.func @partial_last_block(%x: tensor<1x2x2x8xi8>) -> tensor<1x2x2x40xi8> {
  %w = arith.constant dense<1> : tensor<40x1x1x8xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x2x2x8xi8>, tensor<40x1x1x8xi8>) -> tensor<1x2x2x40xi8>
  return %y : tensor<1x2x2x40xi8>
}
