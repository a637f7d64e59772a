// RUN: prom-opt %s | prom-opt | FileCheck %s
// RUN: prom-opt %s --mlir-print-op-generic | prom-opt | FileCheck %s

// CHECK: module attributes {prom.target = #prom.target<arch = aarch64, cpu = "neoverse-v1", features = neon|dotprod|i8mm, vector_bits = 128, vector_registers = 32, l1d_bytes = 65536, l2_bytes = 1048576>}
module attributes {prom.target = #prom.target<arch = aarch64, cpu = "neoverse-v1", features = neon|dotprod|i8mm, vector_bits = 128, vector_registers = 32, l1d_bytes = 65536, l2_bytes = 1048576>} {
  // CHECK-LABEL: func @kernels
  func.func @kernels() attributes {
      // CHECK-SAME: a = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = high_word>
      a = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 131072, requant = high_word>,
      // CHECK-SAME: a2 = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddubsw, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 64, requant = narrow_i16>
      a2 = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddubsw, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 64, requant = narrow_i16>,
      // CHECK-SAME: a3 = #prom.kernel<kind = pointwise_amx, isa = amx_int8, lanes = 16, tile_pixels = 32, tile_blocks = 2, requant = i64>
      a3 = #prom.kernel<kind = pointwise_amx, isa = amx_int8, lanes = 16, tile_pixels = 32, tile_blocks = 2, requant = i64>,
      // CHECK-SAME: b = #prom.kernel<kind = depthwise_vector, lanes = 16, tile_pixels = 4, requant = narrow_i32>
      b = #prom.kernel<kind = depthwise_vector, isa = none, lanes = 16, tile_pixels = 4, requant = narrow_i32>,
      // CHECK-SAME: b2 = #prom.kernel<kind = depthwise_vector, isa = avx512_vnni, form = vpmaddwd, lanes = 16, tile_pixels = 4, requant = high_word_half_up>
      b2 = #prom.kernel<kind = depthwise_vector, isa = avx512_vnni, form = vpmaddwd, lanes = 16, tile_pixels = 4, requant = high_word_half_up>,
      // CHECK-SAME: c = #prom.kernel<kind = reference, reason = "shapes are not static">
      c = #prom.kernel<kind = reference, reason = "shapes are not static">,
      // CHECK-SAME: d = #prom.target<arch = generic, cpu = "", features = none, vector_bits = 128
      d = #prom.target<arch = generic, cpu = "", features = none, vector_bits = 128, vector_registers = 16, l1d_bytes = 32768, l2_bytes = 262144>} {
    return
  }
}
