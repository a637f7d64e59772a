// The pipeline ends in the instructions themselves, whatever the host.
// RUN: prom-opt %s --prom-to-llvm="cpu=znver4 kernel-isa=avx512-vnni" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR-VNNI
// RUN: prom-opt %s --prom-to-llvm="cpu=znver3 kernel-isa=avx2" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR-AVX2
// RUN: prom-opt %s --prom-to-llvm="cpu=znver4 kernel-isa=avx512-vnni" | mlir-translate --mlir-to-llvmir | llc -O2 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver4 | FileCheck %s --check-prefix=ASM-VNNI
// RUN: prom-opt %s --prom-to-llvm="cpu=znver3 kernel-isa=avx2" | mlir-translate --mlir-to-llvmir | llc -O2 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=ASM-AVX2 --implicit-check-not=zmm
// Without kernel-isa the reference lowering multiplies in scalar loops.
// RUN: prom-opt %s --prom-to-llvm | FileCheck %s --check-prefix=REF

// IR-VNNI: call <16 x i32> @llvm.x86.avx512.vpdpbusd.512(<16 x i32> %{{.*}}, <64 x i8> %{{.*}}, <64 x i8> %{{.*}})
// IR-AVX2: call <16 x i16> @llvm.x86.avx2.pmadd.ub.sw(<32 x i8> %{{.*}}, <32 x i8> %{{.*}})
// The s16 sums are widened by vpmaddwd by the i16 multipliers (narrow
// requantization, no bias: the accumulators' ranges are known), the
// requantization then has no multiply.
// IR-AVX2: call <8 x i32> @llvm.x86.avx2.pmadd.wd(<16 x i16> %{{.*}}, <16 x i16> %{{.*}})
// IR-AVX2-NOT: mul <8 x i32>
// IR-AVX2-NOT: mul <16 x i32>
// ASM-VNNI: vpdpbusd {{.*}}zmm
// ASM-AVX2-DAG: vpmaddubsw {{.*}}ymm
// ASM-AVX2-DAG: vpmaddwd {{.*}}ymm
// REF-NOT: x86
// REF-NOT: call_intrinsic
func.func @pw(%x: tensor<1x4x4x40xi8>) -> tensor<1x4x4x24xi8> {
  %w = arith.constant dense<1> : tensor<24x1x1x40xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x4x4x40xi8>, tensor<24x1x1x40xi8>) -> tensor<1x4x4x24xi8>
  return %y : tensor<1x4x4x24xi8>
}
