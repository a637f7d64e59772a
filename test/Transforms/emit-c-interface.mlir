// RUN: prom-opt %s --prom-emit-c-interface | FileCheck %s

// Public functions get a C entry point, and their tensor arguments are
// read-only to bufferization (the caller owns them); other arguments and
// private functions are left alone.
// CHECK-LABEL: func.func @public
// CHECK-SAME: %{{.*}}: tensor<4xi8> {bufferization.writable = false}
// CHECK-SAME: %{{.*}}: index)
// CHECK-SAME: llvm.emit_c_interface
func.func @public(%x: tensor<4xi8>, %i: index) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}

// CHECK-LABEL: func.func private @helper
// CHECK-NOT: bufferization.writable
// CHECK-NOT: llvm.emit_c_interface
// CHECK: return
func.func private @helper(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
