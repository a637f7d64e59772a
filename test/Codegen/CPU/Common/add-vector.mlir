// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-add-vector | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels --prom-add-vector | FileCheck %s --check-prefix=AVX2

// A residual add with MobileNetV2's scales, 200 elements: 13 vectors of
// 16, the last overlapping its neighbour (starts min(16 t, 184)). Each
// input sign-extended to i32 and multiplied by its own multiplier
// (0.8367 and 0.7348 times 2^22), one addend (the zero points and the
// rounding), one shift, the clamp.
// CHECK-LABEL: func.func @add
// CHECK-DAG:   %[[T:.+]] = arith.constant dense<22> : vector<16xi32>
// CHECK-DAG:   %[[C:.+]] = arith.constant dense<-1243071> : vector<16xi32>
// CHECK-DAG:   %[[M2:.+]] = arith.constant dense<3082143> : vector<16xi32>
// CHECK-DAG:   %[[M1:.+]] = arith.constant dense<3509184> : vector<16xi32>
// CHECK:       tensor.collapse_shape {{.*}} : tensor<1x5x5x8xi8> into tensor<200xi8>
// CHECK:       scf.for %{{.*}} = %c0 to %c13
// CHECK:       arith.minsi %{{.*}}, %c184 : index
// CHECK:       %[[A:.+]] = vector.transfer_read {{.*}} : tensor<200xi8>, vector<16xi8>
// CHECK:       %[[B:.+]] = vector.transfer_read {{.*}} : tensor<200xi8>, vector<16xi8>
// CHECK:       %[[AX:.+]] = arith.extsi %[[A]] : vector<16xi8> to vector<16xi32>
// CHECK:       %[[AM:.+]] = arith.muli %[[AX]], %[[M1]] : vector<16xi32>
// CHECK:       %[[BX:.+]] = arith.extsi %[[B]] : vector<16xi8> to vector<16xi32>
// CHECK:       %[[BM:.+]] = arith.muli %[[BX]], %[[M2]] : vector<16xi32>
// CHECK:       %[[S:.+]] = arith.addi %[[AM]], %[[BM]]
// CHECK:       %[[SC:.+]] = arith.addi %[[S]], %[[C]]
// CHECK:       arith.shrsi %[[SC]], %[[T]] : vector<16xi32>
// CHECK:       arith.maxsi
// CHECK:       arith.minsi
// CHECK:       arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// CHECK:       vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<200xi8>
// CHECK:       tensor.expand_shape
// CHECK-NOT:   prom.add
// AVX2-LABEL: func.func @add
// AVX2:       scf.for %{{.*}} = %c0 to %c25
// AVX2:       arith.muli %{{.*}}, %{{.*}} : vector<8xi32>
// AVX2-NOT:   prom.add
func.func @add(%a: tensor<1x5x5x8xi8>, %b: tensor<1x5x5x8xi8>) -> tensor<1x5x5x8xi8> {
  %y = prom.add %a, %b lhs(0.0493782386, -2) rhs(0.0433692858, 2) output(0.0590186603, -1) : tensor<1x5x5x8xi8>
  return %y : tensor<1x5x5x8xi8>
}

// Scale ratios 0.625 and 0.5 put exact ties on both sides of zero, which
// round away from zero: no single addend and shift rounds them all, so
// the add stays with the reference lowering, and says why.
// CHECK-LABEL: func.func @ties
// CHECK:       prom.add {{.*}}reason = "no exact i32 form of the scales"
// AVX2-LABEL: func.func @ties
func.func @ties(%a: tensor<1x5x5x8xi8>, %b: tensor<1x5x5x8xi8>) -> tensor<1x5x5x8xi8> {
  %y = prom.add %a, %b lhs(0.05, 3) rhs(0.04, -2) output(0.08, 1) clamp [0, 127] : tensor<1x5x5x8xi8>
  return %y : tensor<1x5x5x8xi8>
}
