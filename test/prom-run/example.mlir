// The bundled example block compiles and runs; its ten int8 logits vary
// with the input (seeds 1 and 2 give different logits).
// RUN: prom-run %prom_src_root/examples/mobilenetv2-block-int8.mlir --seed=1 > %t.1
// RUN: prom-run %prom_src_root/examples/mobilenetv2-block-int8.mlir --seed=2 > %t.2
// RUN: FileCheck %s < %t.1
// RUN: grep '^tensor' %t.1 > %t.logits1
// RUN: grep '^tensor' %t.2 > %t.logits2
// RUN: not diff %t.logits1 %t.logits2
// CHECK: @block: compiled in
// CHECK-NEXT: tensor<1x10xi8> [{{(-?[0-9]+, ){9}-?[0-9]+}}]
