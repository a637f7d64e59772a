// RUN: prom-opt %s --prom-set-target=cpu=sapphirerapids --prom-select-kernels --prom-pointwise-amx | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=sapphirerapids --prom-select-kernels=pointwise-kernel=amx --prom-pointwise-amx | FileCheck %s --check-prefix=ALL
// RUN: prom-opt %s --prom-set-target=cpu=sapphirerapids --prom-select-kernels=pointwise-kernel=dot --prom-pointwise-amx | FileCheck %s --check-prefix=DOT

// By estimate: the deep layer (960 -> 64 over 7x7) on AMX, 32 pixels by 2
// blocks; the shallow one (16 -> 32 over 28x28) on VNNI.
// CHECK-LABEL: func.func @layers
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : tensor<1x7x7x960xi8> into tensor<49x960xi8>
// CHECK:       %[[OUT:.*]] = call @prom_amx_layer(%[[FLAT]]) : (tensor<49x960xi8>) -> tensor<49x64xi8>
// CHECK:       tensor.expand_shape %[[OUT]]
// CHECK:       prom.ternary_conv2d {{.*}}kind = pointwise_dot, isa = avx512_vnni, form = vpdpbusd
// The layer's function: never inlined; weights packed as B tiles, 2
// columns of 2 blocks, 15 steps of 64 (240 rows of 4); the activations
// read as they are (no flip to u8), 32 rows at a time from 49 (the last
// tile overlapping). Its 4 tiles (2 columns x 2 of pixels) are pipelined:
// tile 0 multiplied before the loop, then tile t into one half of the
// accumulator pair while tile t - 1 is requantized from the other, and
// the last requantized after it.
// CHECK:       func.func private @prom_amx_layer(%[[X:.*]]: tensor<49x960xi8>) -> tensor<49x64xi8> attributes {passthrough = ["noinline"]}
// CHECK-NOT:   arith.xori
// CHECK:       %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x240x128xi8>
// CHECK:       %[[PAIR:.*]] = tensor.empty() : tensor<2x32x32xi32>
// CHECK:       prom_x86.amx_matmul ins(%{{.*}}, %{{.*}} : tensor<32x960xi8>, tensor<240x128xi8>) outs(%{{.*}} : tensor<32x32xi32>)
// CHECK:       %[[FIRST:.*]] = tensor.insert_slice %{{.*}} into %[[PAIR]][%{{.*}}, 0, 0] [1, 32, 32] [1, 1, 1]
// CHECK:       scf.for %{{.*}} = %c1 to %c4 step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[P:.*]] = %[[FIRST]]) -> (tensor<49x64xi8>, tensor<2x32x32xi32>)
// CHECK:         %[[B:.*]] = tensor.extract_slice %[[W]][%{{.*}}, 0, 0] [1, 240, 128] [1, 1, 1] : tensor<2x240x128xi8> to tensor<240x128xi8>
// CHECK:         %[[A:.*]] = tensor.extract_slice %[[X]][%{{.*}}, 0] [32, 960] [1, 1] : tensor<49x960xi8> to tensor<32x960xi8>
// CHECK:         %[[D:.*]] = tensor.extract_slice %[[P]][%[[H:.*]], 0, 0] [1, 32, 32] [1, 1, 1] : tensor<2x32x32xi32> to tensor<32x32xi32>
// CHECK:         %[[S:.*]] = prom_x86.amx_matmul ins(%[[A]], %[[B]] : tensor<32x960xi8>, tensor<240x128xi8>) outs(%[[D]] : tensor<32x32xi32>) -> tensor<32x32xi32>
// CHECK:         %[[NEXT:.*]] = tensor.insert_slice %[[S]] into %[[P]][%[[H]], 0, 0]
// CHECK:         %[[PREV:.*]] = tensor.extract_slice %[[NEXT]][%{{.*}}, 0, 0] [1, 32, 32]
// The stored accumulators requantized row by row: 32 rows of 2 blocks.
// CHECK:         %[[ROWS:.*]] = scf.for %[[I:.*]] = %{{.*}} to %c32{{.*}} iter_args
// CHECK:           vector.transfer_read %[[PREV]][%[[I]], %c0{{.*}} : tensor<32x32xi32>, vector<16xi32>
// CHECK:           vector.transfer_read %[[PREV]][%[[I]], %c16{{.*}} : tensor<32x32xi32>, vector<16xi32>
// CHECK:         scf.yield %[[ROWS]], %[[NEXT]] : tensor<49x64xi8>, tensor<2x32x32xi32>
// CHECK:       scf.for %{{.*}} = %{{.*}} to %c32
// CHECK-NOT:   prom_x86.amx_matmul
// CHECK:       return
func.func @layers(%x: tensor<1x7x7x960xi8>, %s: tensor<1x28x28x16xi8>) -> (tensor<1x7x7x64xi8>, tensor<1x28x28x32xi8>) {
  %w = arith.constant dense<3> : tensor<64x1x1x960xi8>
  %y = prom.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x7x7x960xi8>, tensor<64x1x1x960xi8>) -> tensor<1x7x7x64xi8>
  %w2 = arith.constant dense<1> : tensor<32x1x1x16xi8>
  %y2 = prom.ternary_conv2d %s, %w2 stride [1, 1] input(0.05, 0) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, 0) : (tensor<1x28x28x16xi8>, tensor<32x1x1x16xi8>) -> tensor<1x28x28x32xi8>
  return %y, %y2 : tensor<1x7x7x64xi8>, tensor<1x28x28x32xi8>
}

// Forced onto AMX: every layer, the ternary one too (its weights are
// int8 to the tiles); 3 input channels are padded to 4 (one step), and 20
// output channels to 2 blocks, cut back at the end.
// ALL-LABEL:   func.func @layers
// ALL:         call @prom_amx_layer(
// ALL:         call @prom_amx_layer_0(
// ALL-LABEL:   func.func @odd
// ALL:         call @prom_amx_layer_1(
// ALL:         func.func private @prom_amx_layer_1(%{{.*}}: tensor<36x3xi8>) -> tensor<36x20xi8>
// ALL:         tensor.pad %{{.*}} low[0, 0] high[0, 1]
// ALL:         prom_x86.amx_matmul ins(%{{.*}}, %{{.*}} : tensor<16x4xi8>, tensor<1x128xi8>) outs(%{{.*}} : tensor<16x32xi32>)
// ALL:         tensor.extract_slice %{{.*}}[0, 0] [36, 20] [1, 1] : tensor<36x32xi8> to tensor<36x20xi8>
// DOT-LABEL:   func.func @odd
// DOT-NOT:     prom_amx_layer
func.func @odd(%x: tensor<1x6x6x3xi8>) -> tensor<1x6x6x20xi8> {
  %w = arith.constant dense<-7> : tensor<20x1x1x3xi8>
  %b = arith.constant dense<11> : tensor<20xi32>
  %y = prom.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 input(0.05, 3) weight_scales [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] output(0.1, -2) : (tensor<1x6x6x3xi8>, tensor<20x1x1x3xi8>, tensor<20xi32>) -> tensor<1x6x6x20xi8>
  return %y : tensor<1x6x6x20xi8>
}
