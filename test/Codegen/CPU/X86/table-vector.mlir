// RUN: prom-opt %s --prom-set-target=cpu=znver4 --prom-select-kernels --prom-table-vector | FileCheck %s
// RUN: prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels | FileCheck %s --check-prefix=AVX2
// RUN: prom-opt %s --prom-set-target=cpu=cascadelake --prom-select-kernels | FileCheck %s --check-prefix=NOVBMI
// RUN: prom-opt %s --prom-to-llvm="cpu=znver4 kernel-isa=avx512-vnni" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR

// A 256-entry table on 64 bytes at a time: the table's quarters are four
// constant vectors; one vpermi2b looks the bytes up in entries 0-127 (the
// negative inputs), one in 128-255, and the input's sign picks.
// The table is (167 i + 13) mod 256, as bytes: quarters start 13, -51,
// -115, 77.
// CHECK-LABEL: func.func @multiple
// CHECK-DAG:     %[[Q0:.*]] = arith.constant dense<[13, -76,
// CHECK-DAG:     %[[Q1:.*]] = arith.constant dense<[-51,
// CHECK-DAG:     %[[Q2:.*]] = arith.constant dense<[-115,
// CHECK-DAG:     %[[Q3:.*]] = arith.constant dense<[77,
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0> : vector<64xi8>
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : tensor<1x4x16x4xi8> into tensor<256xi8>
// CHECK:         scf.for %{{.*}} = %c0 to %c4
// CHECK:           %[[X:.*]] = vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<256xi8>, vector<64xi8>
// CHECK:           %[[LOW:.*]] = prom_x86.vpermi2b %[[Q0]], %[[X]], %[[Q1]] : vector<64xi8>
// CHECK:           %[[HIGH:.*]] = prom_x86.vpermi2b %[[Q2]], %[[X]], %[[Q3]] : vector<64xi8>
// CHECK:           %[[NEG:.*]] = arith.cmpi slt, %[[X]], %[[ZERO]] : vector<64xi8>
// CHECK:           arith.select %[[NEG]], %[[LOW]], %[[HIGH]]
// CHECK:         tensor.expand_shape
// CHECK-NOT:     prom.table
// AVX2-LABEL:  func.func @multiple
// AVX2:          prom.table {{.*}} {prom.kernel = #prom.kernel<kind = reference, reason = "kernel isa below avx512-vnni">}
// NOVBMI-LABEL: func.func @multiple
// NOVBMI:        prom.table {{.*}} {prom.kernel = #prom.kernel<kind = reference, reason = "the target has no avx512vbmi (vpermi2b)">}
// IR-LABEL:    define {{.*}} @multiple
// IR-COUNT-2:    call <64 x i8> @llvm.x86.avx512.vpermi2var.qi.512(

func.func @multiple(%x: tensor<1x4x16x4xi8>) -> tensor<1x4x16x4xi8> {
  %y = prom.table %x [13, -76, 91, 2, -87, 80, -9, -98, 69, -20, -109, 58, -31, -120, 47, -42, 125, 36, -53, 114, 25, -64, 103, 14, -75, 92, 3, -86, 81, -8, -97, 70, -19, -108, 59, -30, -119, 48, -41, 126, 37, -52, 115, 26, -63, 104, 15, -74, 93, 4, -85, 82, -7, -96, 71, -18, -107, 60, -29, -118, 49, -40, 127, 38, -51, 116, 27, -62, 105, 16, -73, 94, 5, -84, 83, -6, -95, 72, -17, -106, 61, -28, -117, 50, -39, -128, 39, -50, 117, 28, -61, 106, 17, -72, 95, 6, -83, 84, -5, -94, 73, -16, -105, 62, -27, -116, 51, -38, -127, 40, -49, 118, 29, -60, 107, 18, -71, 96, 7, -82, 85, -4, -93, 74, -15, -104, 63, -26, -115, 52, -37, -126, 41, -48, 119, 30, -59, 108, 19, -70, 97, 8, -81, 86, -3, -92, 75, -14, -103, 64, -25, -114, 53, -36, -125, 42, -47, 120, 31, -58, 109, 20, -69, 98, 9, -80, 87, -2, -91, 76, -13, -102, 65, -24, -113, 54, -35, -124, 43, -46, 121, 32, -57, 110, 21, -68, 99, 10, -79, 88, -1, -90, 77, -12, -101, 66, -23, -112, 55, -34, -123, 44, -45, 122, 33, -56, 111, 22, -67, 100, 11, -78, 89, 0, -89, 78, -11, -100, 67, -22, -111, 56, -33, -122, 45, -44, 123, 34, -55, 112, 23, -66, 101, 12, -77, 90, 1, -88, 79, -10, -99, 68, -21, -110, 57, -32, -121, 46, -43, 124, 35, -54, 113, 24, -65, 102] : tensor<1x4x16x4xi8>
  return %y : tensor<1x4x16x4xi8>
}

// 75 bytes: two vectors, the second at byte 11, overlapping the first.
// CHECK-LABEL: func.func @overlap
// CHECK:         scf.for %{{.*}} = %c0 to %c2
// CHECK:           arith.minsi %{{.*}}, %c11
// CHECK:           vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<75xi8>, vector<64xi8>
// CHECK-COUNT-2:   prom_x86.vpermi2b

func.func @overlap(%x: tensor<1x5x5x3xi8>) -> tensor<1x5x5x3xi8> {
  %y = prom.table %x [13, -76, 91, 2, -87, 80, -9, -98, 69, -20, -109, 58, -31, -120, 47, -42, 125, 36, -53, 114, 25, -64, 103, 14, -75, 92, 3, -86, 81, -8, -97, 70, -19, -108, 59, -30, -119, 48, -41, 126, 37, -52, 115, 26, -63, 104, 15, -74, 93, 4, -85, 82, -7, -96, 71, -18, -107, 60, -29, -118, 49, -40, 127, 38, -51, 116, 27, -62, 105, 16, -73, 94, 5, -84, 83, -6, -95, 72, -17, -106, 61, -28, -117, 50, -39, -128, 39, -50, 117, 28, -61, 106, 17, -72, 95, 6, -83, 84, -5, -94, 73, -16, -105, 62, -27, -116, 51, -38, -127, 40, -49, 118, 29, -60, 107, 18, -71, 96, 7, -82, 85, -4, -93, 74, -15, -104, 63, -26, -115, 52, -37, -126, 41, -48, 119, 30, -59, 108, 19, -70, 97, 8, -81, 86, -3, -92, 75, -14, -103, 64, -25, -114, 53, -36, -125, 42, -47, 120, 31, -58, 109, 20, -69, 98, 9, -80, 87, -2, -91, 76, -13, -102, 65, -24, -113, 54, -35, -124, 43, -46, 121, 32, -57, 110, 21, -68, 99, 10, -79, 88, -1, -90, 77, -12, -101, 66, -23, -112, 55, -34, -123, 44, -45, 122, 33, -56, 111, 22, -67, 100, 11, -78, 89, 0, -89, 78, -11, -100, 67, -22, -111, 56, -33, -122, 45, -44, 123, 34, -55, 112, 23, -66, 101, 12, -77, 90, 1, -88, 79, -10, -99, 68, -21, -110, 57, -32, -121, 46, -43, 124, 35, -54, 113, 24, -65, 102] : tensor<1x5x5x3xi8>
  return %y : tensor<1x5x5x3xi8>
}

// Under 64 bytes: one masked vector, no loop.
// CHECK-LABEL: func.func @short
// CHECK-NOT:     scf.for
// CHECK:         vector.transfer_read %{{.*}}[%c0], %{{.*}} : tensor<20xi8>, vector<64xi8>
// CHECK-COUNT-2: prom_x86.vpermi2b
// CHECK:         vector.transfer_write %{{.*}}, %{{.*}}[%c0] : vector<64xi8>, tensor<20xi8>

func.func @short(%x: tensor<1x2x2x5xi8>) -> tensor<1x2x2x5xi8> {
  %y = prom.table %x [13, -76, 91, 2, -87, 80, -9, -98, 69, -20, -109, 58, -31, -120, 47, -42, 125, 36, -53, 114, 25, -64, 103, 14, -75, 92, 3, -86, 81, -8, -97, 70, -19, -108, 59, -30, -119, 48, -41, 126, 37, -52, 115, 26, -63, 104, 15, -74, 93, 4, -85, 82, -7, -96, 71, -18, -107, 60, -29, -118, 49, -40, 127, 38, -51, 116, 27, -62, 105, 16, -73, 94, 5, -84, 83, -6, -95, 72, -17, -106, 61, -28, -117, 50, -39, -128, 39, -50, 117, 28, -61, 106, 17, -72, 95, 6, -83, 84, -5, -94, 73, -16, -105, 62, -27, -116, 51, -38, -127, 40, -49, 118, 29, -60, 107, 18, -71, 96, 7, -82, 85, -4, -93, 74, -15, -104, 63, -26, -115, 52, -37, -126, 41, -48, 119, 30, -59, 108, 19, -70, 97, 8, -81, 86, -3, -92, 75, -14, -103, 64, -25, -114, 53, -36, -125, 42, -47, 120, 31, -58, 109, 20, -69, 98, 9, -80, 87, -2, -91, 76, -13, -102, 65, -24, -113, 54, -35, -124, 43, -46, 121, 32, -57, 110, 21, -68, 99, 10, -79, 88, -1, -90, 77, -12, -101, 66, -23, -112, 55, -34, -123, 44, -45, 122, 33, -56, 111, 22, -67, 100, 11, -78, 89, 0, -89, 78, -11, -100, 67, -22, -111, 56, -33, -122, 45, -44, 123, 34, -55, 112, 23, -66, 101, 12, -77, 90, 1, -88, 79, -10, -99, 68, -21, -110, 57, -32, -121, 46, -43, 124, 35, -54, 113, 24, -65, 102] : tensor<1x2x2x5xi8>
  return %y : tensor<1x2x2x5xi8>
}
