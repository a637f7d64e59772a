// Bad options and impossible plans are errors with a message, not crashes.

// RUN: not prom-opt %s --prom-assign-bitwidths="override=stem=int4" 2>&1 | FileCheck %s --check-prefix=BADWIDTH
// BADWIDTH: error: prom-assign-bitwidths: override 'stem=int4' is not REGEX=ternary|int8|float

// RUN: not prom-opt %s --prom-assign-bitwidths="override=nobitwidth" 2>&1 | FileCheck %s --check-prefix=NOEQ
// NOEQ: error: prom-assign-bitwidths: override 'nobitwidth' is not REGEX=ternary|int8|float

// RUN: not prom-opt %s --prom-assign-bitwidths="override=st(em=int8" 2>&1 | FileCheck %s --check-prefix=BADREGEX
// BADREGEX: error: prom-assign-bitwidths: invalid regex in override 'st(em=int8'

// RUN: not prom-opt %s --prom-assign-bitwidths="override-file=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: error: prom-assign-bitwidths: override file '{{.*}}missing.json': No such file or directory
// RUN: echo '{"overrides": [' > %t.truncated.json
// RUN: not prom-opt %s --prom-assign-bitwidths="override-file=%t.truncated.json" 2>&1 | FileCheck %s --check-prefix=BADJSON
// BADJSON: error: prom-assign-bitwidths: override file '{{.*}}truncated.json': [2:0, byte=16]: Unexpected EOF
// RUN: echo '{"layers": []}' > %t.nokey.json
// RUN: not prom-opt %s --prom-assign-bitwidths="override-file=%t.nokey.json" 2>&1 | FileCheck %s --check-prefix=NOKEY
// NOKEY: error: prom-assign-bitwidths: override file '{{.*}}nokey.json': expected {"overrides": [...]}
// RUN: echo '{"overrides": [{"layer": "a", "bitwidth": "int8"}, {"layer": "b", "bitwidth": "int4"}]}' > %t.badentry.json
// RUN: not prom-opt %s --prom-assign-bitwidths="override-file=%t.badentry.json" 2>&1 | FileCheck %s --check-prefix=BADENTRY
// BADENTRY: error: prom-assign-bitwidths: override file '{{.*}}badentry.json': overrides[1] is not {"layer": REGEX, "bitwidth": "ternary|int8|float"}
// RUN: echo '{"overrides": [{"layer": "stem", "bitwidth": "ternary"}]}' > %t.ternary.json
// RUN: not prom-opt %s --prom-assign-bitwidths="override-file=%t.ternary.json" 2>&1 | FileCheck %s --check-prefix=FILETERNARY
// FILETERNARY: error: override 'stem=ternary (overrides[0] of {{.*}}ternary.json)' asks for ternary weights on conv layer 'stem'

// RUN: not prom-opt %s --prom-assign-bitwidths="policy=int2" 2>&1 | FileCheck %s --check-prefix=BADPOLICY
// BADPOLICY: Cannot find option named 'int2'!

// RUN: not prom-opt %s --prom-assign-bitwidths="override=stem=ternary" 2>&1 | FileCheck %s --check-prefix=NOTPOINTWISE
// NOTPOINTWISE: assign-bitwidths-invalid.mlir:22:8: error: override 'stem=ternary' asks for ternary weights on conv layer 'stem'; only pointwise convolutions can be ternary

func.func @f(%x: tensor<1x8x8x4xf32>, %w3: tensor<6x3x3x4xf32>, %b6: tensor<6xf32>) -> tensor<1x6x6x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w3, %b6, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x8x8x4xf32>, tensor<6x3x3x4xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x6xf32> loc(fused["stem", "assign-bitwidths-invalid.mlir":22:8])
  return %0 : tensor<1x6x6x6xf32>
}
