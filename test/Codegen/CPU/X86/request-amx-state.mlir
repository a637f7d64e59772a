// RUN: prom-opt %s --split-input-file --prom-request-amx-state | FileCheck %s

// A module with tiles: the request is defined once; each public function
// asks first and stops with a message where it is refused; the function
// with tiles releases them where it returns.
// CHECK-LABEL: func.func @entry
// CHECK-NEXT:    %[[S:.*]] = call @prom_amx_request() : () -> i32
// CHECK-NEXT:    %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    %[[OK:.*]] = arith.cmpi eq, %[[S]], %[[Z]] : i32
// CHECK-NEXT:    cf.assert %[[OK]], "prom: this code uses AMX int8 tiles, which this CPU or operating system does not provide (arch_prctl ARCH_REQ_XCOMP_PERM failed)"
// CHECK:         call @layer
// CHECK-LABEL: func.func private @layer
// CHECK-NOT:     prom_amx_request
// CHECK:         amx.tile_store
// CHECK-NEXT:    llvm.call_intrinsic "llvm.x86.tilerelease"() : () -> ()
// CHECK-NEXT:    return
// CHECK:       llvm.mlir.global internal @prom_amx_granted(0 : i32)
// CHECK:       llvm.func @syscall(i64, ...) -> i64
// CHECK-LABEL: func.func @prom_amx_request() -> i32
// CHECK:         llvm.load %{{.*}} atomic acquire {alignment = 4 : i64} : !llvm.ptr -> i32
// Linux x86-64: syscall 158 (arch_prctl), 0x1023 (ARCH_REQ_XCOMP_PERM), 18
// (XFEATURE_XTILEDATA).
// CHECK:         %[[NR:.*]] = arith.constant 158 : i64
// CHECK:         %[[OP:.*]] = arith.constant 4131 : i64
// CHECK:         %[[XF:.*]] = arith.constant 18 : i64
// CHECK:         llvm.call @syscall(%[[NR]], %[[OP]], %[[XF]]) vararg(!llvm.func<i64 (i64, ...)>)
// CHECK:         llvm.store %{{.*}} atomic release
func.func @entry(%m: memref<16x16xi32>) {
  call @layer(%m) : (memref<16x16xi32>) -> ()
  return
}
func.func private @layer(%m: memref<16x16xi32>) {
  %c0 = arith.constant 0 : index
  %t = amx.tile_zero : !amx.tile<16x16xi32>
  amx.tile_store %m[%c0, %c0], %t : memref<16x16xi32>, !amx.tile<16x16xi32>
  return
}

// -----

// Without tiles, nothing changes.
// CHECK-LABEL: func.func @plain
// CHECK-NOT:   prom_amx
func.func @plain() {
  return
}
