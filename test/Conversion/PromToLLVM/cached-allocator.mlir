// RUN: prom-opt %s -split-input-file -verify-diagnostics --prom-define-cached-allocator | FileCheck %s

// The declarations the memref lowering made get bodies: a cache of 256
// slots behind a spin lock, malloc/free behind it, 16-byte headers.
// The size rounded up to its class (a multiple of 2^(bits - 3)) before the
// lock; a slot is taken only by a block of exactly that class.
// CHECK-LABEL: llvm.func @_mlir_memref_to_llvm_alloc(%{{.*}}: i64) -> !llvm.ptr {
// CHECK:       "llvm.intr.ctlz"(%{{.*}}) <{is_zero_poison = false}> : (i64) -> i64
// CHECK:       llvm.shl
// CHECK:       %[[CLASS:.*]] = llvm.and
// CHECK:       llvm.atomicrmw xchg %{{.*}}, %{{.*}} acquire
// CHECK:       llvm.icmp "eq" %{{.*}}, %[[CLASS]] : i64
// CHECK-COUNT-256: llvm.select %{{.*}}, %{{.*}}, %{{.*}} : i1, !llvm.ptr
// CHECK:       llvm.store {{.*}} atomic release
// CHECK:       llvm.call @malloc
// CHECK:       llvm.getelementptr %{{.*}}[16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-LABEL: llvm.func @_mlir_memref_to_llvm_free(%{{.*}}: !llvm.ptr) {
// CHECK:       llvm.getelementptr %{{.*}}[-16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK:       llvm.call @free
// CHECK-DAG: llvm.mlir.global internal @__prom_alloc_slots(#llvm.zero) {addr_space = 0 : i32, alignment = 8 : i64} : !llvm.array<256 x ptr>
// CHECK-DAG: llvm.mlir.global internal @__prom_alloc_capacities(#llvm.zero) {{.*}} : !llvm.array<256 x i64>
// CHECK-DAG: llvm.mlir.global internal @__prom_alloc_lock(#llvm.zero) {{.*}} : i32
llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
llvm.func @user(%n: i64) {
  %p = llvm.call @_mlir_memref_to_llvm_alloc(%n) : (i64) -> !llvm.ptr
  llvm.call @_mlir_memref_to_llvm_free(%p) : (!llvm.ptr) -> ()
  llvm.return
}

// -----

// Nothing allocates: nothing is added.
// CHECK-LABEL: llvm.func @nothing
// CHECK-NOT:   __prom_alloc
llvm.func @nothing() {
  llvm.return
}

// -----

// expected-error @+1 {{prom-define-cached-allocator: aligned allocation functions are not supported}}
llvm.func @_mlir_memref_to_llvm_aligned_alloc(i64, i64) -> !llvm.ptr
