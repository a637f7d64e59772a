// A malformed energy table is one error that names the field.
// RUN: echo 'not json' > %t.bad.json
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.bad.json 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: error: prom-cost-report: energy table '{{.*}}bad.json': [1:2, byte=2]: Invalid JSON value (null?)
// RUN: echo '{"source": "x"}' > %t.nopj.json
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.nopj.json 2>&1 | FileCheck %s --check-prefix=NOPJ
// NOPJ: error: prom-cost-report: energy table '{{.*}}nopj.json': 'pj' must be an object of picojoules per operation
// RUN: echo '{"pj": {"int8_mult": "cheap"}}' > %t.string.json
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.string.json 2>&1 | FileCheck %s --check-prefix=STRING
// STRING: error: prom-cost-report: energy table '{{.*}}string.json': 'pj.int8_mult' must be a non-negative number
// RUN: echo '{"pj": {"int8_mult": 0.2, "fp16_add": 0.4, "fp16_mult": 1.1, "fp32_add": 0.9}}' > %t.missing.json
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.missing.json 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: prom-cost-report: energy table '{{.*}}missing.json': 'pj.fp32_mult' is missing
// RUN: echo '{"pj": {"int8_mult": 0.2, "fp16_add": 0.4, "fp16_mult": 1.1, "fp32_add": 0.9, "fp32_mult": 3.7}}' > %t.noacc.json
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.noacc.json 2>&1 | FileCheck %s --check-prefix=NOACC
// NOACC: error: prom-cost-report: energy table '{{.*}}noacc.json': 'pj.int32_add' is missing
// RUN: echo '{"pj": {"int8_mult": 0.2, "int8_add": 0.03, "fp16_add": 0.4, "fp16_mult": 1.1, "fp32_add": 0.9, "fp32_mult": 3.7}, "ternary_add": "int4_add"}' > %t.badop.json
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.badop.json 2>&1 | FileCheck %s --check-prefix=BADOP
// BADOP: error: prom-cost-report: energy table '{{.*}}badop.json': 'ternary_add' must name an operation in 'pj'
// RUN: echo '{"pj": {"int8_mult": 0.2, "int32_add": 0.1, "fp16_add": 0.4, "fp16_mult": 1.1, "fp32_add": 0.9, "fp32_mult": 3.7}, "ternary_count": "some"}' > %t.count.json
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.count.json 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: error: prom-cost-report: energy table '{{.*}}count.json': 'ternary_count' must be "nonzero" or "all"
// RUN: not prom-opt %s --prom-cost-report=energy-table=%t.absent.json 2>&1 | FileCheck %s --check-prefix=ABSENT
// ABSENT: error: prom-cost-report: energy table '{{.*}}absent.json': No such file or directory

func.func @empty() {
  return
}
