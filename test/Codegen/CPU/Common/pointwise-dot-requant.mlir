// The kernels build the requantization form their #prom.kernel records
// (each exact for its op: the selection would choose high_word_half_up for
// the first three, narrow_i32 for the fourth), and give the reference's
// bytes. The vpmaddwd form takes signed inputs: the activations are
// sign-extended, not flipped, in 1x1 rows and in im2col windows (@dense).
// RUN: prom-opt %s --prom-pointwise-dot --prom-depthwise-vector | FileCheck %s
// RUN: for f in i64 high_word half_up narrow depthwise_i64 dense; do prom-run %s --entry=$f --seed=11 --output-file=%t.$f --print-limit=0 && prom-run %s --entry=$f --seed=11 --kernel-isa=none --output-file=%t.$f.ref --print-limit=0 && cmp %t.$f %t.$f.ref || exit 1; done

// i64: the reference's 64-bit products of the accumulators (two blocks of
// 8 lanes a vector).
// CHECK-LABEL: func.func @i64
// CHECK-NOT:   arith.xori
// CHECK:       arith.extsi {{.*}} : vector<64xi8> to vector<64xi16>
// CHECK-NOT:   arith.xori
// CHECK:       arith.muli {{.*}} : vector<16xi64>
// CHECK-NOT:   prom.conv2d
func.func @i64(%x: tensor<1x4x4x64xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<3> : tensor<16x1x1x64xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.017, 0.018, 0.019, 0.02, 0.021, 0.022, 0.023, 0.024, 0.025] output(0.1, -2) {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = i64>} : (tensor<1x4x4x64xi8>, tensor<16x1x1x64xi8>) -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// high_word: |acc| (a select on the sign) times m in two u32 x u32 -> u64
// multiplies of the even and the odd lanes.
// CHECK-LABEL: func.func @high_word
// CHECK:       arith.cmpi slt, {{.*}} : vector<16xi32>
// CHECK:       arith.muli {{.*}} : vector<8xi64>
// CHECK-NOT:   prom.conv2d
func.func @high_word(%x: tensor<1x4x4x64xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<3> : tensor<16x1x1x64xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.017, 0.018, 0.019, 0.02, 0.021, 0.022, 0.023, 0.024, 0.025] output(0.1, -2) {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = high_word>} : (tensor<1x4x4x64xi8>, tensor<16x1x1x64xi8>) -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// high_word_half_up: the signed value, no sign select.
// CHECK-LABEL: func.func @half_up
// CHECK-NOT:   arith.cmpi slt
// CHECK:       arith.muli {{.*}} : vector<8xi64>
// CHECK-NOT:   prom.conv2d
func.func @half_up(%x: tensor<1x4x4x64xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<3> : tensor<16x1x1x64xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.017, 0.018, 0.019, 0.02, 0.021, 0.022, 0.023, 0.024, 0.025] output(0.1, -2) {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = high_word_half_up>} : (tensor<1x4x4x64xi8>, tensor<16x1x1x64xi8>) -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// narrow_i32: one i32 multiply, add and shift; nothing 64-bit.
// CHECK-LABEL: func.func @narrow
// CHECK-NOT:   i64>
// CHECK:       arith.muli {{.*}} : vector<16xi32>
// CHECK-NOT:   i64>
// CHECK-NOT:   prom.conv2d
// CHECK-LABEL: func.func @depthwise_i64
func.func @narrow(%x: tensor<1x4x4x64xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<3> : tensor<16x1x1x64xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = narrow_i32>} : (tensor<1x4x4x64xi8>, tensor<16x1x1x64xi8>) -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// The depthwise kernel reads the same parameter.
// CHECK:       arith.muli {{.*}} : vector<8xi64>
// CHECK-NOT:   prom.conv2d
func.func @depthwise_i64(%x: tensor<1x6x6x16xi8>) -> tensor<1x6x6x16xi8> {
  %w = arith.constant dense<-5> : tensor<16x3x3x1xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 16 input(0.05, 3) weight_scales [0.01, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.017, 0.018, 0.019, 0.02, 0.021, 0.022, 0.023, 0.024, 0.025] output(0.1, -2) {prom.kernel = #prom.kernel<kind = depthwise_vector, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, requant = i64>} : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi8>
  return %y : tensor<1x6x6x16xi8>
}

// A 3x3 window through im2col, padded with the zero point: signed rows.
// CHECK-LABEL: func.func @dense
// CHECK-NOT:   arith.xori
// CHECK:       arith.extsi {{.*}} : vector<12xi8> to vector<12xi16>
// CHECK-NOT:   arith.xori
// CHECK:       prom_x86.dot vpmaddwd
// CHECK-NOT:   prom.conv2d
func.func @dense(%x: tensor<1x5x5x4xi8>) -> tensor<1x5x5x8xi8> {
  %w = arith.constant dense<[[[[37, -51, 74, -104], [-91, -80, 59, -99], [-19, -109, -84, 94]], [[86, -93, -5, -82], [89, -98, -65, -14], [-97, 75, -103, -15]], [[-105, -60, 20, 86], [-55, -68, 29, -36], [-76, -32, 62, -79]]], [[[-96, -98, -23, 126], [90, 32, 110, 104], [57, 25, -1, -36]], [[-4, -87, 25, 125], [47, 101, 19, -91], [-68, 86, -44, 47]], [[-51, 122, 87, -108], [-89, 32, 46, 51], [126, 105, -93, -81]]], [[[10, 114, -95, -97], [30, 100, 17, 69], [49, -117, 108, 53]], [[-42, -69, 124, -98], [-17, 19, -62, -2], [75, 72, 126, -87]], [[-43, 101, 77, 14], [-58, 92, 14, 84], [55, 66, -10, -51]]], [[[-86, -38, -51, -10], [-9, -122, 120, -35], [6, 16, -126, -54]], [[86, 61, 35, -64], [-101, 105, 72, 75], [76, 73, -75, 118]], [[77, -97, -31, -94], [-22, 97, -45, -72], [46, -102, -76, -128]]], [[[-51, -77, 58, -115], [-92, -22, 64, -52], [1, 49, 58, 114]], [[-66, -69, 121, 110], [117, 119, 31, -85], [-55, -76, 47, 7]], [[117, -46, -117, -23], [57, -53, -115, 24], [-82, 5, 59, -43]]], [[[54, -14, 40, -14], [-29, -6, 77, -12], [-26, 124, 54, -114]], [[-114, 15, 113, 4], [-29, 48, 100, 50], [58, -87, -16, -76]], [[-12, 112, -28, 44], [-24, 119, -128, 117], [48, -85, -67, 70]]], [[[-26, 116, -37, 94], [42, -84, 74, 109], [77, -85, -47, -41]], [[-63, -114, -51, 110], [-54, 114, 51, -49], [-61, -118, -121, -76]], [[-57, 94, -29, -20], [-114, 0, -20, 21], [-5, 38, 4, 86]]], [[[-61, -97, 53, 106], [87, -62, -51, -119], [97, -35, -126, -52]], [[-40, -56, 114, -67], [-97, 38, 119, -74], [-99, -1, -31, 13]], [[-107, -78, 103, -114], [-96, 98, 38, -26], [13, 103, 116, -2]]]]> : tensor<8x3x3x4xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.0001, 0.00011, 0.00012, 0.00013, 0.00014, 0.00015, 0.00016, 0.00017] output(0.1, -2) {prom.kernel = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 1, chunk_bytes = 131072, requant = i64>} : (tensor<1x5x5x4xi8>, tensor<8x3x3x4xi8>) -> tensor<1x5x5x8xi8>
  return %y : tensor<1x5x5x8xi8>
}
