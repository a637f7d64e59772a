// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels="ternary-kernel=add add-lanes=1" --prom-ternary-to-add | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=ternary-kernel=add --prom-ternary-to-add | FileCheck %s --check-prefix=VECTOR
// The emitted LLVM IR multiplies no data: the only multiplies left are i64
// (requantization, and the address arithmetic of the loads); the reference
// lowering of the same conv multiplies i32 data.
// RUN: prom-opt %s --prom-to-llvm="ternary-kernel=add" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM --implicit-check-not="{{mul (nuw |nsw )*(i32|i16|i8|<[0-9]+ x i(32|16|8)>)}}"
// RUN: prom-opt %s --prom-to-llvm=ternary-kernel=reference | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=REF

// Channel 0 = x0 - x2, channel 1 = x0 + x1 + x2 - x3: the +1 lists are
// [0 | 0, 1, 2] (offsets [0, 1, 4]), the -1 lists [2 | 3] (offsets
// [0, 1, 2]). Zero point 3 folds into per-channel constants
// -3 * (|plus| - |minus|) = [0, -6].
// CHECK-LABEL: func.func @tern
// CHECK-DAG:   %[[CORR:.*]] = arith.constant dense<[0, -6]> : tensor<2xi32>
// CHECK-DAG:   %[[MINUSIDX:.*]] = arith.constant dense<[2, 3]> : tensor<2xi32>
// CHECK-DAG:   %[[MINUSOFF:.*]] = arith.constant dense<[0, 1, 2]> : tensor<3xi32>
// CHECK-DAG:   %[[PLUSIDX:.*]] = arith.constant dense<[0, 0, 1, 2]> : tensor<4xi32>
// CHECK-DAG:   %[[PLUSOFF:.*]] = arith.constant dense<[0, 1, 4]> : tensor<3xi32>
// Stride 2 keeps every other pixel before the loops.
// CHECK:       %[[X:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 2, 2, 4] [1, 2, 2, 1]
// CHECK:       linalg.generic
// CHECK-NOT:   arith.muli
// CHECK:       scf.for
// CHECK-NOT:   arith.muli
// CHECK:         tensor.extract %[[PLUSIDX]]
// CHECK-NEXT:    arith.index_cast
// CHECK-NEXT:    tensor.extract %[[X]]
// CHECK-NEXT:    arith.extsi {{.*}} : i8 to i32
// CHECK-NEXT:    arith.addi {{.*}} : i32
// CHECK-NOT:   arith.muli
// CHECK:       scf.for
// CHECK-NOT:   arith.muli
// CHECK:         tensor.extract %[[MINUSIDX]]
// CHECK-NEXT:    arith.index_cast
// CHECK-NEXT:    tensor.extract %[[X]]
// CHECK-NEXT:    arith.extsi {{.*}} : i8 to i32
// CHECK-NEXT:    arith.subi {{.*}} : i32
// CHECK-NOT:   arith.muli
// CHECK:       linalg.yield
// The requantization that follows is the only multiply.
// CHECK:       linalg.generic
// CHECK:       arith.muli {{.*}} : i64
// CHECK-NOT:   prom.ternary_conv2d
// The vectorized form (the default): the input transposed to [C, pixels],
// then per tile of 16 pixels and output channel a broadcast of the
// channel's constant and one vector load, widening and add (or subtract)
// per list entry; nothing multiplies.
// VECTOR-LABEL: func.func @tern
// VECTOR:       %[[XT:.*]] = linalg.transpose ins(%{{.*}} : tensor<4x4xi8>) outs(%{{.*}} : tensor<4x4xi8>) permutation = [1, 0]
// VECTOR:       scf.for %[[P0:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// VECTOR:       scf.for %[[O:.*]] =
// VECTOR:         vector.broadcast {{.*}} : i32 to vector<16xi32>
// VECTOR-NOT:   arith.muli
// VECTOR:         scf.for
// VECTOR:           vector.transfer_read %[[XT]][%{{.*}}, %[[P0]]], %{{.*}} : tensor<4x4xi8>, vector<16xi8>
// VECTOR-NEXT:      arith.extsi {{.*}} : vector<16xi8> to vector<16xi32>
// VECTOR-NEXT:      arith.addi {{.*}} : vector<16xi32>
// VECTOR-NOT:   arith.muli
// VECTOR:           arith.subi {{.*}} : vector<16xi32>
// VECTOR-NOT:   arith.muli
// VECTOR:         vector.transfer_write
// VECTOR:       linalg.transpose
// VECTOR:       arith.muli {{.*}} : i64
// LLVM-LABEL: define {{.*}} @tern(
// LLVM: mul i64
// REF: mul i32
func.func @tern(%x: tensor<1x3x3x4xi8>, %b: tensor<2xi32>) -> tensor<1x2x2x2xi8> {
  %w = arith.constant dense<[[[[1, 0, -1, 0]]], [[[1, 1, 1, -1]]]]> : tensor<2x1x1x4xi8>
  %y = prom.ternary_conv2d %x, %w, %b stride [2, 2] input(0.5, 3) weight_scales [0.25, 0.5] output(0.1, -2) : (tensor<1x3x3x4xi8>, tensor<2x1x1x4xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}

