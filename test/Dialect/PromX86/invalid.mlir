// RUN: prom-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// prom_x86.dot
//===----------------------------------------------------------------------===//

func.func @dot_width(%acc: vector<8xi32>, %a: vector<64xi8>) -> vector<8xi32> {
  // expected-error @+1 {{has no vpdpbusd form for 'vector<64xi8>' -> 'vector<8xi32>'; expected one of: vector<64xi8> -> vector<16xi32> vector<32xi8> -> vector<8xi32>}}
  %0 = prom_x86.dot vpdpbusd %acc, %a, %a : vector<64xi8> -> vector<8xi32>
  return %0 : vector<8xi32>
}

// -----

func.func @dot_element(%acc: vector<8xi32>, %a: vector<32xi8>) -> vector<8xi32> {
  // expected-error @+1 {{has no vpmaddwd form for 'vector<32xi8>' -> 'vector<8xi32>'}}
  %0 = prom_x86.dot vpmaddwd %acc, %a, %a : vector<32xi8> -> vector<8xi32>
  return %0 : vector<8xi32>
}

// -----

func.func @dot_kind(%acc: vector<8xi32>, %a: vector<32xi8>) -> vector<8xi32> {
  // expected-error @+2 {{expected ::mlir::prom::x86::DotKind to be one of: vpdpbusd, vpmaddubsw, vpmaddwd}}
  // expected-error @+1 {{failed to parse PromX86_DotKindAttr parameter 'value'}}
  %0 = prom_x86.dot vpdpwssd %acc, %a, %a : vector<32xi8> -> vector<8xi32>
  return %0 : vector<8xi32>
}

// -----

//===----------------------------------------------------------------------===//
// prom_x86.amx_matmul
//===----------------------------------------------------------------------===//

func.func @amx_mixed(%a: tensor<16x64xi8>, %b: memref<16x64xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{expects all operands to be ranked tensors, or all memrefs}}
  %0 = prom_x86.amx_matmul ins(%a, %b : tensor<16x64xi8>, memref<16x64xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return
}

// -----

func.func @amx_no_result(%a: tensor<16x64xi8>, %b: tensor<16x64xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{has one result on tensors and none on memrefs}}
  prom_x86.amx_matmul ins(%a, %b : tensor<16x64xi8>, tensor<16x64xi8>) outs(%c : tensor<16x16xi32>)
  return
}

// -----

func.func @amx_depth(%a: tensor<16x62xi8>, %b: tensor<16x64xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{expects lhs columns (K = 62) to be a multiple of 4}}
  %0 = prom_x86.amx_matmul ins(%a, %b : tensor<16x62xi8>, tensor<16x64xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return
}

// -----

func.func @amx_shapes(%a: tensor<16x64xi8>, %b: tensor<16x32xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{expects lhs 16xK, rhs K/4x4N and init MxN; got K = 64}}
  %0 = prom_x86.amx_matmul ins(%a, %b : tensor<16x64xi8>, tensor<16x32xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return
}

// -----

func.func @amx_element(%a: tensor<16x64xi8>, %b: tensor<16x64xi8>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{expects init to be a static 2-D i32 shape}}
  %0 = prom_x86.amx_matmul ins(%a, %b : tensor<16x64xi8>, tensor<16x64xi8>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return
}

// -----

func.func @amx_strided(%a: memref<16x64xi8, strided<[128, 2]>>, %b: memref<16x64xi8>, %c: memref<16x16xi32>) {
  // expected-error @+1 {{expects lhs to have contiguous rows}}
  prom_x86.amx_matmul ins(%a, %b : memref<16x64xi8, strided<[128, 2]>>, memref<16x64xi8>) outs(%c : memref<16x16xi32>)
  return
}
