// prom-opt lists prom's passes (and upstream's) in --help.
// RUN: prom-opt --help | FileCheck %s
// CHECK: prom optimizer driver
// CHECK-DAG: --prom-assign-bitwidths {{.*}}Choose a weight representation (ternary, int8, float) per layer
// CHECK-DAG: --policy=<value>
// CHECK-DAG: --convert-linalg-to-loops
// CHECK-DAG: --tosa-to-linalg
