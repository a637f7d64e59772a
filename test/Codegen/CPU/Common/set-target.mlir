// The target description from an LLVM CPU name, from features on top of
// it, and from another architecture; a module's own target is kept.
// RUN: prom-opt %s --prom-set-target=cpu=znver4 | FileCheck %s --check-prefix=ZEN4
// RUN: prom-opt %s --prom-set-target=cpu=znver3 | FileCheck %s --check-prefix=ZEN3
// RUN: prom-opt %s --prom-set-target="cpu=znver4 features=-avx512f" | FileCheck %s --check-prefix=NO512
// RUN: prom-opt %s --prom-set-target="cpu=sapphirerapids" | FileCheck %s --check-prefix=AMX
// RUN: prom-opt %s --prom-set-target="triple=aarch64-linux-gnu cpu=neoverse-v1" | FileCheck %s --check-prefix=ARM
// RUN: prom-opt %s --prom-set-target | FileCheck %s --check-prefix=HOST
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-set-target=cpu=znver3 | FileCheck %s --check-prefix=ZEN4
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-set-target="cpu=znver3 override=1" | FileCheck %s --check-prefix=ZEN3
// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-drop-target | FileCheck %s --check-prefix=DROP
// RUN: not prom-opt %s --prom-set-target=cpu=pentium9 2>&1 | FileCheck %s --check-prefix=BADCPU
// RUN: not prom-opt %s --prom-set-target="cpu=znver4 features=+avx9" 2>&1 | FileCheck %s --check-prefix=BADFEATURE
// RUN: not prom-opt %s --prom-set-target=triple=nonsense-unknown-none 2>&1 | FileCheck %s --check-prefix=BADTRIPLE

// ZEN4: module attributes {prom.target = #prom.target<arch = x86_64, cpu = "znver4", features = avx2|avx512f|avx512bw|avx512_vnni|avx512vbmi, vector_bits = 512, vector_registers = 32, l1d_bytes = 32768, l2_bytes = 1048576>}
// ZEN3: module attributes {prom.target = #prom.target<arch = x86_64, cpu = "znver3", features = avx2, vector_bits = 256, vector_registers = 16,
// NO512: features = avx2, vector_bits = 256, vector_registers = 16
// AMX: features = avx2|avx512f|avx512bw|avx512_vnni|avx_vnni|amx_int8|avx512vbmi, vector_bits = 512
// ARM: #prom.target<arch = aarch64, cpu = "neoverse-v1", features = neon|dotprod|i8mm, vector_bits = 128, vector_registers = 32,
// HOST: module attributes {prom.target = #prom.target<arch = x86_64, cpu = "{{.+}}", features =
// DROP-NOT: prom.target
// BADCPU: error: prom-set-target: unknown CPU 'pentium9' for x86_64
// BADFEATURE: error: prom-set-target: unknown feature 'avx9' for x86_64
// BADTRIPLE: error: prom-set-target: unknown target triple 'nonsense-unknown-none'
module {
}
