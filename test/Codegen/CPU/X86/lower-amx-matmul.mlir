// RUN: prom-opt %s --prom-lower-amx-matmul --split-input-file --verify-diagnostics | FileCheck %s

// 32 x 32 over 2 steps of 48 bytes: one group of 2 x 2 accumulator tiles
// (16 x 16 i32), each step loading 2 A tiles (16 rows x 48 bytes) and 2 B
// tiles (12 rows of 16 x 4), then 4 signed products.
// CHECK-LABEL: func.func @group
// CHECK-COUNT-4: amx.tile_zero : !amx.tile<16x16xi32>
// CHECK:         amx.tile_load %{{.*}}[%c0, %c0] : memref<32x96xi8, strided<[96, 1], offset: ?>> into !amx.tile<16x48xi8>
// CHECK:         amx.tile_load %{{.*}}[%c16, %c0] : memref<32x96xi8, strided<[96, 1], offset: ?>> into !amx.tile<16x48xi8>
// CHECK:         amx.tile_load %{{.*}}[%c0, %c0] : memref<24x128xi8> into !amx.tile<12x64xi8>
// CHECK:         amx.tile_load %{{.*}}[%c0, %c64] : memref<24x128xi8> into !amx.tile<12x64xi8>
// CHECK-COUNT-4: amx.tile_muli %{{.*}}, %{{.*}}, %{{.*}} : !amx.tile<16x48xi8>, !amx.tile<12x64xi8>, !amx.tile<16x16xi32>
// CHECK:         amx.tile_load %{{.*}}[%c0, %c48]
// CHECK:         amx.tile_load %{{.*}}[%c16, %c48]
// CHECK:         amx.tile_load %{{.*}}[%c12, %c0]
// CHECK:         amx.tile_load %{{.*}}[%c12, %c64]
// CHECK-COUNT-4: amx.tile_muli
// CHECK:         amx.tile_store %{{.*}}[%c0, %c0]
// CHECK:         amx.tile_store %{{.*}}[%c0, %c16]
// CHECK:         amx.tile_store %{{.*}}[%c16, %c0]
// CHECK:         amx.tile_store %{{.*}}[%c16, %c16]
// CHECK-NOT:     prom_x86.amx_matmul
func.func @group(%a: memref<32x96xi8, strided<[96, 1], offset: ?>>, %b: memref<24x128xi8>, %c: memref<32x32xi32>) {
  prom_x86.amx_matmul ins(%a, %b : memref<32x96xi8, strided<[96, 1], offset: ?>>, memref<24x128xi8>) outs(%c : memref<32x32xi32>)
  return
}

// -----

// Fewer than 16 pixels: tiles of all of them; 3 blocks in one row take
// one group of 1 x 3.
// CHECK-LABEL: func.func @short
// CHECK-COUNT-3: amx.tile_zero : !amx.tile<7x16xi32>
// CHECK:         amx.tile_load {{.*}} into !amx.tile<7x16xi8>
// CHECK-COUNT-3: amx.tile_load {{.*}} into !amx.tile<4x64xi8>
// CHECK-COUNT-3: amx.tile_muli
// CHECK-COUNT-3: amx.tile_store
func.func @short(%a: memref<7x16xi8>, %b: memref<4x192xi8>, %c: memref<7x48xi32>) {
  prom_x86.amx_matmul ins(%a, %b : memref<7x16xi8>, memref<4x192xi8>) outs(%c : memref<7x48xi32>)
  return
}

// -----

func.func @tensors(%a: tensor<16x64xi8>, %b: tensor<16x64xi8>, %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  // expected-error @+1 {{is not bufferized: lower it after bufferization}}
  %0 = prom_x86.amx_matmul ins(%a, %b : tensor<16x64xi8>, tensor<16x64xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %0 : tensor<16x16xi32>
}

// -----

func.func @rows(%a: memref<20x64xi8>, %b: memref<16x64xi8>, %c: memref<20x16xi32>) {
  // expected-error @+1 {{needs M (20) and N (16) to be multiples of 16, or at most 16}}
  prom_x86.amx_matmul ins(%a, %b : memref<20x64xi8>, memref<16x64xi8>) outs(%c : memref<20x16xi32>)
  return
}
