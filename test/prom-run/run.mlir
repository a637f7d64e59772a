// prom-run compiles and runs a function and prints its results.
// RUN: prom-run %s --zeros | FileCheck %s
// RUN: prom-run %s --entry=second --zeros | FileCheck %s --check-prefix=SECOND
// RUN: prom-run %s --entry=twice --zeros | FileCheck %s --check-prefix=TWICE
// RUN: prom-run %s --entry=int64 --zeros | FileCheck %s --check-prefix=I64
// RUN: not prom-run %s --entry=missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not prom-run %s.does-not-exist 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: prom-run --help | FileCheck %s --check-prefix=HELP
// RUN: prom-run %s --kernel-isa=none --zeros | FileCheck %s
// RUN: not prom-run %s --kernel-isa=sse9 2>&1 | FileCheck %s --check-prefix=BADISA

// (0 - (-10)) * 0.5 + 3 = 8 for every element.
// CHECK: @first: compiled in {{.*}} ms, ran in {{.*}} ms
// CHECK-NEXT: tensor<4xi8> [8, 8, 8, 8]
func.func @first(%x: tensor<4xi8>) -> tensor<4xi8> {
  %y = prom.rescale %x input_zp -10 scales [0.5] output_zp 3 : tensor<4xi8> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// (0 - 1) * 0.25 = -0.25 for every element; two results.
// SECOND: @second:
// SECOND-NEXT: tensor<2x3xf32> [-2.500000e-01, -2.500000e-01, -2.500000e-01, -2.500000e-01, -2.500000e-01, -2.500000e-01]
// SECOND-NEXT: tensor<2x3xi8> [0, 0, 0, 0, 0, 0]
func.func @second(%x: tensor<2x3xi8>) -> (tensor<2x3xf32>, tensor<2x3xi8>) {
  %y = prom.dequantize %x scales [0.25] zero_points [1] : tensor<2x3xi8> -> tensor<2x3xf32>
  return %y, %x : tensor<2x3xf32>, tensor<2x3xi8>
}

// MISSING: prom-run: error: no public function 'missing'
// BADISA: prom-run: error: unknown --kernel-isa 'sse9' (expected auto, none, avx2, avx512-vnni or amx-int8)
// NOFILE: prom-run: error: cannot open input file '{{.*}}does-not-exist'

// One value returned as two results shares one buffer: freed once.
// TWICE: @twice:
// TWICE-NEXT: tensor<2xf32> [1.000000e+00, 1.000000e+00]
// TWICE-NEXT: tensor<2xf32> [1.000000e+00, 1.000000e+00]
func.func @twice(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %one = "tosa.const"() <{values = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y = tosa.add %x, %one : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y, %y : tensor<2xf32>, tensor<2xf32>
}

// --help shows prom-run's own options, not those of every LLVM library.
// HELP:     USAGE: prom-run [options] <input.mlir>
// HELP-NOT: aarch64
// HELP:     prom-run options:
// HELP-NOT: aarch64
// HELP:     --entry=<string>
// HELP:     --haste-report=<file>
// HELP-NOT: aarch64

// i64 results (an ONNX Shape output) are printed in full.
// I64: @int64:
// I64-NEXT: tensor<3xi64> [2, -7, 9000000000]
func.func @int64(%x: tensor<2xi64>) -> tensor<3xi64> {
  %c = arith.constant dense<[2, -7, 9000000000]> : tensor<3xi64>
  return %c : tensor<3xi64>
}
