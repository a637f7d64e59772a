// RUN: prom-run %s --entry=sizes | FileCheck %s --check-prefix=SIZES
// RUN: prom-run %s --entry=chunks --print-limit=40 | FileCheck %s --check-prefix=CHUNKS
// RUN: prom-run %s --entry=chunks --print-limit=40 -O 0 | FileCheck %s --check-prefix=CHUNKS

// prom.merge_channels run: buckets of more members than the lowering
// gathers per lane (4), whose remaining members it sums on their own.
// 40 channels of 1 into buckets of 29, 10 and 1 members, summed.
// SIZES: tensor<1x1x2x3xi32> [29, 10, 1, 29, 10, 1]
func.func @sizes() -> tensor<1x1x2x?xi32> {
  %x = arith.constant dense<1> : tensor<1x1x2x40xi32>
  %b = arith.constant dense<[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,2]> : tensor<40xindex>
  %n = arith.constant 3 : index
  %m = prom.merge_channels %x, %b, %n : tensor<1x1x2x40xi32>, tensor<40xindex> -> tensor<1x1x2x?xi32>
  return %m : tensor<1x1x2x?xi32>
}

// Channel c holds c; channels 0-18 are their own buckets, 19-39 one bucket
// in the second chunk of 16: averaged, (19 + ... + 39) / 21 = 29.
// CHUNKS: tensor<1x1x1x20xf32> [0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01, 1.200000e+01, 1.300000e+01, 1.400000e+01, 1.500000e+01, 1.600000e+01, 1.700000e+01, 1.800000e+01, 2.900000e+01]
func.func @chunks() -> tensor<1x1x1x?xf32> {
  %x = arith.constant dense<[[[[0.0,1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0,9.0,10.0,11.0,12.0,13.0,14.0,15.0,16.0,17.0,18.0,19.0,20.0,21.0,22.0,23.0,24.0,25.0,26.0,27.0,28.0,29.0,30.0,31.0,32.0,33.0,34.0,35.0,36.0,37.0,38.0,39.0]]]]> : tensor<1x1x1x40xf32>
  %b = arith.constant dense<[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,19,19,19,19,19,19,19,19,19,19,19,19,19,19,19,19,19,19,19,19]> : tensor<40xindex>
  %n = arith.constant 20 : index
  %m = prom.merge_channels %x, %b, %n average : tensor<1x1x1x40xf32>, tensor<40xindex> -> tensor<1x1x1x?xf32>
  return %m : tensor<1x1x1x?xf32>
}
