// prom-run --profile times every layer of the example block: one row per
// layer, named and in order, each with its kernel; the counted code gives
// the same logits as the plain build.
// RUN: prom-run %prom_src_root/examples/mobilenetv2-block-int8.mlir > %t.plain
// RUN: prom-run %prom_src_root/examples/mobilenetv2-block-int8.mlir --profile --profile-runs=10 --profile-json=%t.json > %t.profiled
// RUN: FileCheck %s < %t.profiled
// RUN: grep '^tensor' %t.plain > %t.logits.plain
// RUN: grep '^tensor' %t.profiled > %t.logits.profiled
// RUN: diff %t.logits.plain %t.logits.profiled
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// CHECK:      profile: 10 calls
// CHECK-NEXT: # us share MMACs GMAC/s kernel output layer
// CHECK-NEXT: 0 {{[0-9.]+}} {{[0-9.]+}}% 0.20 {{[0-9.]+}} pointwise_dot {{.*}} 1x14x14x64xi8 features.3.conv.0.0
// CHECK-NEXT: 1 {{.*}} depthwise_vector {{.*}} features.3.conv.1.0
// CHECK-NEXT: 2 {{.*}} features.3.conv.2
// CHECK-NEXT: 3 {{.*}} features.3.add
// CHECK-NEXT: 4 {{.*}} pool
// CHECK-NEXT: 5 {{.*}} classifier.1
// CHECK-NEXT: between layers
// JSON:      "calls": 10,
// JSON:      "layer": "features.3.conv.0.0",
// JSON-NEXT: "op": "prom.ternary_conv2d",
// JSON-NEXT: "kernel": "pointwise_dot
// JSON-NEXT: "type": "tensor<1x14x14x64xi8>",
// JSON-NEXT: "macs": 200704,
// JSON-NEXT: "calls": 10,

// RUN: not prom-run %prom_src_root/examples/mobilenetv2-block-int8.mlir --profile-json=%t.x 2>&1 | FileCheck %s --check-prefix=NEEDS
// NEEDS: prom-run: error: --profile-json needs --profile
