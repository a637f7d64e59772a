// The named pipeline takes prom (and TOSA) to the LLVM dialect with C entry
// points, and mlir-translate takes that to LLVM IR with no runtime calls.
// RUN: prom-opt %s --prom-to-llvm | FileCheck %s --check-prefix=LLVMDIALECT
// RUN: prom-opt %s --prom-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// RUN: prom-opt %s --prom-to-llvm="emit-c-interface=false" | FileCheck %s --check-prefix=NOCIFACE

// LLVMDIALECT-NOT: prom.
// LLVMDIALECT-NOT: tosa.
// LLVMDIALECT: llvm.func @block(
// LLVMDIALECT: llvm.func @_mlir_ciface_block(
// LLVMIR: define void @_mlir_ciface_block(ptr %{{.*}}, ptr %{{.*}})
// LLVMIR-NOT: memrefCopy
// NOCIFACE-NOT: _mlir_ciface_block

func.func @block(%x: tensor<1x5x5x4xi8>) -> tensor<1x1x1x4xi8> {
  %w = arith.constant dense<1> : tensor<4x3x3x1xi8>
  %dw = prom.conv2d %x, %w stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 4
          input(0.1, -128) weight_scales [0.01, 0.01, 0.01, 0.01] output(0.1, -128) clamp [-128, 0]
          : (tensor<1x5x5x4xi8>, tensor<4x3x3x1xi8>) -> tensor<1x5x5x4xi8>
  %p = arith.constant dense<[[[[1, 0, -1, 1]]], [[[0, 1, 1, -1]]], [[[1, 1, 1, 1]]], [[[-1, 0, 0, 0]]]]> : tensor<4x1x1x4xi8>
  %pw = prom.ternary_conv2d %dw, %p stride [1, 1] input(0.1, -128) weight_scales [0.02, 0.02, 0.02, 0.02] output(0.1, 0)
          : (tensor<1x5x5x4xi8>, tensor<4x1x1x4xi8>) -> tensor<1x5x5x4xi8>
  %r = prom.add %pw, %x lhs(0.1, 0) rhs(0.1, -128) output(0.2, 0) : tensor<1x5x5x4xi8>
  %g = prom.avg_pool2d %r kernel [5, 5] stride [1, 1] pad [0, 0, 0, 0] input(0.2, 0) output(0.2, 0)
         : tensor<1x5x5x4xi8> -> tensor<1x1x1x4xi8>
  return %g : tensor<1x1x1x4xi8>
}
