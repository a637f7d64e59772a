// A consumer tiled over channels cannot fuse a prom convolution (its
// per-channel scales are attributes): the producer stays before the loops,
// without an error, and the result is unchanged.
// RUN: prom-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/fuse-channels.mlir --transform-interpreter 2>&1 | FileCheck %s
// RUN: prom-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/fuse-channels.mlir --transform-interpreter > %t.mlir
// RUN: prom-run %s --seed=3 --kernel-isa=none --output-file=%t.ref
// RUN: prom-run %t.mlir --seed=3 --kernel-isa=none --output-file=%t.tiled
// RUN: cmp %t.ref %t.tiled

// CHECK-NOT: error
// CHECK-LABEL: func.func @channels
// CHECK: %[[Y:.*]] = prom.conv2d {{.*}} -> tensor<1x4x4x8xi8>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[Y]]
// CHECK: linalg.generic {{.*}} ins(%[[SLICE]] :
func.func @channels(%x: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8> {
  %w = arith.constant dense<3> : tensor<8x1x1x8xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1
         input(0.1, 0) weight_scales [0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2] output(0.5, 0)
         : (tensor<1x4x4x8xi8>, tensor<8x1x1x8xi8>) -> tensor<1x4x4x8xi8>
  %init = tensor.empty() : tensor<1x4x4x8xi8>
  %z = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
         ins(%y : tensor<1x4x4x8xi8>) outs(%init : tensor<1x4x4x8xi8>) {
  ^bb0(%a: i8, %b: i8):
    %one = arith.constant 1 : i8
    %s = arith.addi %a, %one : i8
    linalg.yield %s : i8
  } -> tensor<1x4x4x8xi8>
  return %z : tensor<1x4x4x8xi8>
}
