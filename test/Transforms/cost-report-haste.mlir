// HASTE's measured channel counts in the cost report: prom-run runs the
// counting build of this model (all-zero input: every input channel of a
// layer is the same, so each layer keeps one) and writes the counters;
// prom-cost-report reads them for the model without HASTE.
// RUN: prom-opt %s --prom-haste="count-channels=1 patch=2,3" -o %t.haste.mlir
// RUN: prom-run %t.haste.mlir --zeros --haste-report=%t.json
// RUN: FileCheck %s --check-prefix=COUNTS < %t.json
// RUN: prom-opt %s --prom-cost-report="haste-counts=%t.json report=-" -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: prom-opt %s --prom-cost-report="haste-counts=%t.json table=-" -o /dev/null | FileCheck %s --check-prefix=TABLE
// Without the option, no HASTE fields.
// RUN: prom-opt %s --prom-cost-report="report=-" -o /dev/null | FileCheck %s --check-prefix=PLAIN

// COUNTS:      "calls": 2,
// COUNTS:      "layer": "stem",
// COUNTS-NEXT: "input_channels": 8,
// COUNTS-NEXT: "kept_channels": 1,
// COUNTS-NEXT: "patches_per_call": 4,
// COUNTS-NEXT: "macs": 18432,
// COUNTS-NEXT: "macs_kept": 2304
// COUNTS:      "layer": "proj",
// COUNTS-NEXT: "input_channels": 16,

// JSON:      "layer": "stem",
// JSON:      "macs": 18432,
// JSON:      "haste": {
// JSON-NEXT:   "input_channels": 8,
// JSON-NEXT:   "kept_channels": 1,
// JSON-NEXT:   "macs": 2304
// JSON:      "layer": "proj",
// JSON:      "haste": {
// JSON-NEXT:   "input_channels": 16,
// JSON-NEXT:   "kept_channels": 1,
// JSON-NEXT:   "macs": 64
// JSON:      "total": {
// JSON:        "macs": 19456,
// JSON:        "haste_macs": 2368

// TABLE: HASTE (measured, 2 layers): MACs 19456 -> 2368 (87.8% fewer)

// PLAIN-NOT: haste

// Bad counts files: one error naming the file and the problem.
// RUN: not prom-opt %s --prom-cost-report="haste-counts=%t.missing.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: prom-cost-report: HASTE counts '{{.*}}missing.json': {{[Nn]}}o such file
// RUN: echo '{"layers": [' > %t.bad.json
// RUN: not prom-opt %s --prom-cost-report="haste-counts=%t.bad.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOTJSON
// NOTJSON: error: prom-cost-report: HASTE counts '{{.*}}bad.json': not JSON
// RUN: echo '{"layers": [{"layer": "stem", "input_channels": 8}]}' > %t.field.json
// RUN: not prom-opt %s --prom-cost-report="haste-counts=%t.field.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FIELD
// FIELD: error: prom-cost-report: HASTE counts '{{.*}}field.json': layers[0]: needs "layer", "input_channels" and "kept_channels"
// RUN: echo '{"layers": [{"layer": "stem", "input_channels": 8, "kept_channels": 9}]}' > %t.range.json
// RUN: not prom-opt %s --prom-cost-report="haste-counts=%t.range.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: error: prom-cost-report: HASTE counts '{{.*}}range.json': layers[0] ('stem'): kept_channels must be in [0, input_channels]
// RUN: echo '{"layers": [{"layer": "other", "input_channels": 8, "kept_channels": 2}]}' > %t.other.json
// RUN: not prom-opt %s --prom-cost-report="haste-counts=%t.other.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OTHER
// OTHER: error: prom-cost-report: HASTE counts '{{.*}}other.json': layer 'other' is not a layer of this module
// RUN: echo '{"layers": [{"layer": "stem", "input_channels": 8, "kept_channels": 2}, {"layer": "stem", "input_channels": 8, "kept_channels": 2}]}' > %t.twice.json
// RUN: not prom-opt %s --prom-cost-report="haste-counts=%t.twice.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: error: prom-cost-report: HASTE counts '{{.*}}twice.json': layer 'stem' appears twice
// RUN: echo '{"layers": [{"layer": "", "input_channels": 8, "kept_channels": 2}]}' > %t.unnamed.json
// RUN: not prom-opt %s --prom-cost-report="haste-counts=%t.unnamed.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNNAMED
// UNNAMED: error: prom-cost-report: HASTE counts '{{.*}}unnamed.json': layers[0]: an unnamed layer cannot be matched (layer names are locations: keep them with --mlir-print-debuginfo)
// prom-run without counters in the module:
// RUN: not prom-run %s --zeros --haste-report=%t.none.json 2>&1 | FileCheck %s --check-prefix=NOCOUNT
// NOCOUNT: prom-run: error: --haste-report: the module has no HASTE counters

func.func @two_convs(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x4xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<16x3x3x8xf32>} : () -> tensor<16x3x3x8xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<16xf32>} : () -> tensor<16xf32>
  %w2 = "tosa.const"() {values = dense<0.125> : tensor<4x1x1x16xf32>} : () -> tensor<4x1x1x16xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<16x3x3x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32> loc("stem")
  %1 = tosa.conv2d %0, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x16xf32>, tensor<4x1x1x16xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32> loc("proj")
  return %1 : tensor<1x4x4x4xf32>
}
