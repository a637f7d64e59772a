// RUN: prom-opt %s -split-input-file -verify-diagnostics --prom-define-cached-allocator | FileCheck %s

// The declarations the memref lowering made get bodies: per size class a
// stack of 128 freed blocks, one spin lock, malloc/free behind them,
// 16-byte headers holding the rounded size.
// alloc: the size (at least 16) rounded up to its class (a multiple of
// 2^(bits - 3)) and the class's index (4 * bits + top three bits) before
// the lock; the class's top block if its stack is not empty, else malloc.
// CHECK-LABEL: llvm.func @_mlir_memref_to_llvm_alloc(%{{.*}}: i64) -> !llvm.ptr attributes {no_inline} {
// CHECK:       llvm.intr.umax
// CHECK:       "llvm.intr.ctlz"(%{{.*}}) <{is_zero_poison = false}> : (i64) -> i64
// CHECK:       llvm.shl
// CHECK:       %[[SIZE:.*]] = llvm.and
// CHECK:       "llvm.intr.ctlz"(%[[SIZE]])
// CHECK:       llvm.lshr %[[SIZE]]
// CHECK:       %[[INDEX:.*]] = llvm.add
// CHECK:       llvm.atomicrmw xchg %{{.*}}, %{{.*}} acquire
// CHECK:       %[[HEIGHT_SLOT:.*]] = llvm.getelementptr %{{.*}}[0, %[[INDEX]]] {{.*}} !llvm.array<264 x i64>
// CHECK:       %[[HEIGHT:.*]] = llvm.load %[[HEIGHT_SLOT]]
// CHECK:       llvm.icmp "ne" %[[HEIGHT]]
// CHECK:       %[[TOP:.*]] = llvm.sub %[[HEIGHT]]
// CHECK:       llvm.mul %[[INDEX]]
// CHECK:       llvm.getelementptr {{.*}} !llvm.array<33792 x ptr>
// CHECK:       llvm.store %[[TOP]], %[[HEIGHT_SLOT]]
// CHECK:       llvm.store {{.*}} atomic release
// CHECK:       llvm.store {{.*}} atomic release
// CHECK:       llvm.call @malloc
// CHECK:       llvm.store %[[SIZE]]
// CHECK:       llvm.getelementptr %{{.*}}[16] : (!llvm.ptr) -> !llvm.ptr, i8
// free: onto the class's stack while it holds fewer than 128, else free.
// CHECK-LABEL: llvm.func @_mlir_memref_to_llvm_free(%{{.*}}: !llvm.ptr) attributes {no_inline} {
// CHECK:       llvm.getelementptr %{{.*}}[-16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK:       llvm.atomicrmw xchg
// CHECK:       llvm.icmp "ult" %{{.*}}, %{{.*}} : i64
// CHECK:       llvm.call @free
// CHECK-DAG: llvm.mlir.global internal @__prom_alloc_blocks(#llvm.zero) {addr_space = 0 : i32, alignment = 8 : i64} : !llvm.array<33792 x ptr>
// CHECK-DAG: llvm.mlir.global internal @__prom_alloc_heights(#llvm.zero) {{.*}} : !llvm.array<264 x i64>
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
