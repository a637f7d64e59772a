// RUN: prom-opt %s | prom-opt | FileCheck %s
// RUN: prom-opt %s --mlir-print-op-generic | prom-opt | FileCheck %s

// CHECK-LABEL: func @dot
func.func @dot(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>,
                   %p: vector<16xi16>, %c: vector<32xi8>, %d: vector<32xi8>,
                   %q: vector<8xi32>) -> (vector<16xi32>, vector<16xi16>, vector<8xi32>) {
  // CHECK: prom_x86.dot vpdpbusd %{{.*}}, %{{.*}}, %{{.*}} : vector<64xi8> -> vector<16xi32>
  %0 = prom_x86.dot vpdpbusd %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  // CHECK: prom_x86.dot vpmaddubsw %{{.*}}, %{{.*}}, %{{.*}} : vector<32xi8> -> vector<16xi16>
  %1 = prom_x86.dot vpmaddubsw %p, %c, %d : vector<32xi8> -> vector<16xi16>
  // CHECK: prom_x86.dot vpmaddwd %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi16> -> vector<8xi32>
  %2 = prom_x86.dot vpmaddwd %q, %1, %p : vector<16xi16> -> vector<8xi32>
  return %0, %1, %2 : vector<16xi32>, vector<16xi16>, vector<8xi32>
}

// CHECK-LABEL: func @amx_matmul
func.func @amx_matmul(%a: tensor<32x96xi8>, %b: tensor<24x128xi8>,
                          %c: tensor<32x32xi32>, %ma: memref<16x64xi8, strided<[128, 1], offset: ?>>,
                          %mb: memref<16x64xi8>, %mc: memref<16x16xi32>) -> tensor<32x32xi32> {
  // CHECK: prom_x86.amx_matmul ins(%{{.*}}, %{{.*}} : tensor<32x96xi8>, tensor<24x128xi8>) outs(%{{.*}} : tensor<32x32xi32>) -> tensor<32x32xi32>
  %0 = prom_x86.amx_matmul ins(%a, %b : tensor<32x96xi8>, tensor<24x128xi8>) outs(%c : tensor<32x32xi32>) -> tensor<32x32xi32>
  // CHECK: prom_x86.amx_matmul ins(%{{.*}}, %{{.*}} : memref<16x64xi8, strided<[128, 1], offset: ?>>, memref<16x64xi8>) outs(%{{.*}} : memref<16x16xi32>)
  prom_x86.amx_matmul ins(%ma, %mb : memref<16x64xi8, strided<[128, 1], offset: ?>>, memref<16x64xi8>) outs(%mc : memref<16x16xi32>)
  return %0 : tensor<32x32xi32>
}
