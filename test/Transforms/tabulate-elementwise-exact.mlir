// prom-tabulate-elementwise gives the bytes of the reference lowering of
// the float chain it replaces, for every int8 input: each function runs
// on all 256 values, with and without the pass.
// RUN: %python -c "import sys; open(sys.argv[1], 'wb').write(bytes(range(256)))" %t.in
// RUN: prom-opt %s --prom-tabulate-elementwise -o %t.table.mlir
// RUN: FileCheck %s --input-file=%t.table.mlir
// RUN: for f in hardswish hardsigmoid mixed; do prom-run %s --entry=$f --input-file %t.in --output-file %t.$f.ref --print-limit 0 && prom-run %t.table.mlir --entry=$f --input-file %t.in --output-file %t.$f.table --print-limit 0 && cmp %t.$f.ref %t.$f.table || exit 1; done
// CHECK-COUNT-3: prom.table
// CHECK-NOT:     prom.quantize

func.func @hardswish(%x: tensor<1x1x16x16xi8>) -> tensor<1x1x16x16xi8> {
  %sixth = "tosa.const"() <{values = dense<0.166666672> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %half = "tosa.const"() <{values = dense<5.000000e-01> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %d = prom.dequantize %x scales [0.0441913195] zero_points [1] : tensor<1x1x16x16xi8> -> tensor<1x1x16x16xf32>
  %m = tosa.mul %d, %sixth, %shift : (tensor<1x1x16x16xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x1x16x16xf32>
  %a = tosa.add %m, %half : (tensor<1x1x16x16xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x16x16xf32>
  %c = tosa.clamp %a {max_val = 1.0 : f32, min_val = 0.0 : f32} : (tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32>
  %y = tosa.mul %d, %c, %shift : (tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1xi8>) -> tensor<1x1x16x16xf32>
  %q = prom.quantize %y scales [0.0232604649] zero_points [-112] : tensor<1x1x16x16xf32> -> tensor<1x1x16x16xi8>
  return %q : tensor<1x1x16x16xi8>
}

// hardsigmoid into a scale that puts many values on rounding ties.
func.func @hardsigmoid(%x: tensor<1x1x16x16xi8>) -> tensor<1x1x16x16xi8> {
  %sixth = "tosa.const"() <{values = dense<0.166666672> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %half = "tosa.const"() <{values = dense<5.000000e-01> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %d = prom.dequantize %x scales [0.0136260781] zero_points [-18] : tensor<1x1x16x16xi8> -> tensor<1x1x16x16xf32>
  %m = tosa.mul %d, %sixth, %shift : (tensor<1x1x16x16xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x1x16x16xf32>
  %a = tosa.add %m, %half : (tensor<1x1x16x16xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x16x16xf32>
  %c = tosa.clamp %a {max_val = 1.0 : f32, min_val = 0.0 : f32} : (tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32>
  %q = prom.quantize %c scales [0.00390625] zero_points [-128] : tensor<1x1x16x16xf32> -> tensor<1x1x16x16xi8>
  return %q : tensor<1x1x16x16xi8>
}

// Every other op the pass evaluates: sub, maximum, minimum.
func.func @mixed(%x: tensor<1x1x16x16xi8>) -> tensor<1x1x16x16xi8> {
  %k = "tosa.const"() <{values = dense<0.3> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %lo = "tosa.const"() <{values = dense<-1.5> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %hi = "tosa.const"() <{values = dense<2.25> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %d = prom.dequantize %x scales [0.031] zero_points [7] : tensor<1x1x16x16xi8> -> tensor<1x1x16x16xf32>
  %s = tosa.sub %k, %d : (tensor<1x1x1x1xf32>, tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32>
  %a = tosa.maximum %s, %lo : (tensor<1x1x16x16xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x16x16xf32>
  %b = tosa.minimum %a, %hi : (tensor<1x1x16x16xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x16x16xf32>
  %y = tosa.sub %b, %d : (tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32>
  %q = prom.quantize %y scales [0.027] zero_points [3] : tensor<1x1x16x16xf32> -> tensor<1x1x16x16xi8>
  return %q : tensor<1x1x16x16xi8>
}
