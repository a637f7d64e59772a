// RUN: prom-opt %s --prom-profile-layers --split-input-file --verify-diagnostics | FileCheck %s

// Each call of a layer function gets a row of counters; the public
// function's whole body the last. The cycle counter is read right before
// and right after each call; cycles and one call are added atomically.
// CHECK:       module attributes {prom.profile_layers = [{kernel = "k", macs = 7 : i64, name = "a", op = "prom.add", type = "t"}, {kernel = "k", macs = 7 : i64, name = "a", op = "prom.add", type = "t"}]}
// CHECK:       memref.global @prom_profile : memref<3x2xi64> = dense<0>
// Calls of functions that are not layers are not counted.
// CHECK-LABEL: func.func private @layer_a
// CHECK-NOT:     readcyclecounter
// CHECK-LABEL: func.func @main
// CHECK:         %[[W0:.+]] = llvm.call_intrinsic "llvm.readcyclecounter"() : () -> i64
// CHECK:         %[[S0:.+]] = llvm.call_intrinsic "llvm.readcyclecounter"() : () -> i64
// CHECK-NEXT:    %[[R0:.+]] = call @layer_a(%arg0)
// CHECK-NEXT:    %[[E0:.+]] = llvm.call_intrinsic "llvm.readcyclecounter"() : () -> i64
// CHECK-NEXT:    %[[D0:.+]] = arith.subi %[[E0]], %[[S0]] : i64
// CHECK-NEXT:    %[[G0:.+]] = memref.get_global @prom_profile : memref<3x2xi64>
// CHECK-DAG:     %[[ROW0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[ONE:.+]] = arith.constant 1 : i64
// CHECK:         memref.atomic_rmw addi %[[D0]], %[[G0]][%[[ROW0]], %{{.+}}]
// CHECK:         memref.atomic_rmw addi %[[ONE]], %[[G0]][%[[ROW0]], %{{.+}}]
// CHECK:         call @layer_a(%[[R0]])
// CHECK:         %[[ROW1:.+]] = arith.constant 1 : index
// CHECK:         memref.atomic_rmw addi %{{.+}}, %{{.+}}[%[[ROW1]], %{{.+}}]
// CHECK:         %[[E2:.+]] = llvm.call_intrinsic "llvm.readcyclecounter"() : () -> i64
// CHECK-NEXT:    arith.subi %[[E2]], %[[W0]] : i64
// CHECK:         %[[ROW2:.+]] = arith.constant 2 : index
// CHECK:         memref.atomic_rmw addi %{{.+}}, %{{.+}}[%[[ROW2]], %{{.+}}]
// CHECK:         return
func.func private @layer_a(%x: memref<4xi8>) -> memref<4xi8> attributes {prom.layer = {name = "a", op = "prom.add", kernel = "k", type = "t", macs = 7 : i64}} {
  %r = call @helper(%x) : (memref<4xi8>) -> memref<4xi8>
  return %r : memref<4xi8>
}
func.func private @helper(%x: memref<4xi8>) -> memref<4xi8> {
  return %x : memref<4xi8>
}
func.func @main(%x: memref<4xi8>) -> memref<4xi8> {
  %0 = call @layer_a(%x) : (memref<4xi8>) -> memref<4xi8>
  %1 = call @layer_a(%0) : (memref<4xi8>) -> memref<4xi8>
  return %1 : memref<4xi8>
}

// -----

// expected-error @+1 {{prom-profile-layers: the module already has a 'prom_profile'}}
module {
  memref.global @prom_profile : memref<1x2xi64> = dense<0>
  func.func @main() {
    return
  }
}
