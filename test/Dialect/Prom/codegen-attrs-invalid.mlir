// RUN: prom-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{a reference kernel needs a reason}}
func.func @no_reason() attributes {k = #prom.kernel<kind = reference>} { return }

// -----

// expected-error @+1 {{a reference kernel has no parameters}}
func.func @reference_lanes() attributes {k = #prom.kernel<kind = reference, lanes = 8, reason = "x">} { return }

// -----

// expected-error @+1 {{only a reference kernel has a reason}}
func.func @reason() attributes {k = #prom.kernel<kind = depthwise_vector, lanes = 8, reason = "x">} { return }

// -----

// expected-error @+1 {{kernel depthwise_vector needs positive lanes}}
func.func @lanes() attributes {k = #prom.kernel<kind = depthwise_vector>} { return }

// -----

// expected-error @+1 {{chunk_bytes is pointwise_dot's parameter, and form pointwise_dot's and depthwise_vector's; pointwise_dot requires both}}
func.func @no_form() attributes {k = #prom.kernel<kind = pointwise_dot, isa = avx2, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 64>} { return }

// -----

// expected-error @+1 {{chunk_bytes is pointwise_dot's parameter, and form pointwise_dot's and depthwise_vector's; pointwise_dot requires both}}
func.func @float_form() attributes {k = #prom.kernel<kind = float_conv_vector, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2>} { return }

// -----

// expected-error @+1 {{depthwise_vector's only form is vpmaddwd, on an x86 isa}}
func.func @depthwise_form() attributes {k = #prom.kernel<kind = depthwise_vector, isa = avx512_vnni, form = vpdpbusd, lanes = 16, tile_pixels = 4>} { return }

// -----

// expected-error @+1 {{depthwise_vector's only form is vpmaddwd, on an x86 isa}}
func.func @depthwise_form_isa() attributes {k = #prom.kernel<kind = depthwise_vector, form = vpmaddwd, lanes = 16, tile_pixels = 4>} { return }

// -----

// expected-error @+1 {{depthwise_vector needs tile_pixels (its tile along W), and no tile_blocks}}
func.func @int8_depthwise_no_tile() attributes {k = #prom.kernel<kind = depthwise_vector, isa = avx2, lanes = 8>} { return }

// -----

// expected-error @+1 {{tile_pixels and tile_blocks are required by the tiled kernels}}
func.func @no_tile() attributes {k = #prom.kernel<kind = float_conv_vector, lanes = 8>} { return }

// -----

// expected-error @+1 {{float_depthwise_vector needs tile_pixels (its tile along W), and no tile_blocks}}
func.func @depthwise_blocks() attributes {k = #prom.kernel<kind = float_depthwise_vector, lanes = 16, tile_pixels = 8, tile_blocks = 2>} { return }

// -----

// expected-error @+1 {{float_depthwise_vector needs tile_pixels (its tile along W), and no tile_blocks}}
func.func @depthwise_no_tile() attributes {k = #prom.kernel<kind = float_depthwise_vector, lanes = 16>} { return }

// -----

// expected-error @+1 {{vpdpbusd is the avx512_vnni form, and only it}}
func.func @form_isa() attributes {k = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpdpbusd, lanes = 16, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 64>} { return }

// -----

// expected-error @+1 {{pointwise_dot has 16 lanes in the vpdpbusd form (zmm), 8 in the AVX2 forms (ymm)}}
func.func @dot_lanes() attributes {k = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 16, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 64, requant = i64>} { return }

// -----

// expected-error @+1 {{pointwise_dot needs an isa}}
func.func @no_isa() attributes {k = #prom.kernel<kind = pointwise_dot, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 64>} { return }

// -----

// expected-error @+1 {{ternary_add is plain vector code: it has no isa}}
func.func @add_isa() attributes {k = #prom.kernel<kind = ternary_add, isa = avx2, lanes = 8>} { return }

// -----

// expected-error @+2 {{expected ::mlir::prom::KernelKind to be one of: reference, pointwise_dot, ternary_add, depthwise_vector, float_conv_vector, merged_conv_vector}}
// expected-error @+1 {{failed to parse Prom_KernelAttr parameter 'kind'}}
func.func @kind() attributes {k = #prom.kernel<kind = winograd>} { return }

// -----

// expected-error @+1 {{vector_bits must be a power of two >= 64, got 100}}
func.func @bits() attributes {t = #prom.target<arch = x86_64, cpu = "x", features = avx2, vector_bits = 100, vector_registers = 16, l1d_bytes = 1, l2_bytes = 1>} { return }

// -----

// expected-error @+1 {{x86 features on a aarch64 target}}
func.func @x86_on_arm() attributes {t = #prom.target<arch = aarch64, cpu = "x", features = avx2, vector_bits = 128, vector_registers = 32, l1d_bytes = 1, l2_bytes = 1>} { return }

// -----

// expected-error @+1 {{AArch64 features on a x86_64 target}}
func.func @arm_on_x86() attributes {t = #prom.target<arch = x86_64, cpu = "x", features = dotprod, vector_bits = 128, vector_registers = 16, l1d_bytes = 1, l2_bytes = 1>} { return }

// -----

// expected-error @+1 {{vector_registers, l1d_bytes and l2_bytes must be positive}}
func.func @caches() attributes {t = #prom.target<arch = x86_64, cpu = "x", features = none, vector_bits = 128, vector_registers = 16, l1d_bytes = 0, l2_bytes = 1>} { return }

// -----

// expected-error @+1 {{pointwise_amx is the amx_int8 kernel, and the only one}}
func.func @amx_isa() attributes {k = #prom.kernel<kind = pointwise_amx, isa = avx512_vnni, lanes = 16, tile_pixels = 32, tile_blocks = 2>} { return }

// -----

// expected-error @+1 {{pointwise_amx is the amx_int8 kernel, and the only one}}
func.func @amx_elsewhere() attributes {k = #prom.kernel<kind = depthwise_vector, isa = amx_int8, lanes = 16, tile_pixels = 4>} { return }

// -----

// expected-error @+1 {{pointwise_amx has 16 lanes (a tile row of i32)}}
func.func @amx_lanes() attributes {k = #prom.kernel<kind = pointwise_amx, isa = amx_int8, lanes = 8, tile_pixels = 32, tile_blocks = 2>} { return }

// -----

// expected-error @+1 {{tile_pixels and tile_blocks are required by the tiled kernels}}
func.func @amx_tile() attributes {k = #prom.kernel<kind = pointwise_amx, isa = amx_int8, lanes = 16>} { return }

// -----

// expected-error @+1 {{requant is required by the int8 convolution kernels (pointwise_dot, pointwise_amx, depthwise_vector), and only there}}
func.func @no_requant() attributes {k = #prom.kernel<kind = depthwise_vector, isa = avx2, lanes = 8, tile_pixels = 4>} { return }

// -----

// expected-error @+1 {{requant is required by the int8 convolution kernels (pointwise_dot, pointwise_amx, depthwise_vector), and only there}}
func.func @requant_elsewhere() attributes {k = #prom.kernel<kind = add_vector, lanes = 8, requant = narrow_i32>} { return }

// -----

// expected-error @+1 {{a reference kernel has no parameters}}
func.func @requant_reference() attributes {k = #prom.kernel<kind = reference, requant = i64, reason = "x">} { return }

// -----

// expected-error @+1 {{narrow_i16 is the requantization of pointwise_dot's vpmaddubsw form only}}
func.func @narrow_i16_form() attributes {k = #prom.kernel<kind = pointwise_dot, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, tile_blocks = 2, chunk_bytes = 64, requant = narrow_i16>} { return }

// -----

// expected-error @+1 {{narrow_i16 is the requantization of pointwise_dot's vpmaddubsw form only}}
func.func @narrow_i16_depthwise() attributes {k = #prom.kernel<kind = depthwise_vector, isa = avx2, form = vpmaddwd, lanes = 8, tile_pixels = 4, requant = narrow_i16>} { return }

// -----

// expected-error @+1 {{add_vector is plain vector code: it has no isa}}
func.func @add_isa_vector() attributes {k = #prom.kernel<kind = add_vector, isa = avx2, lanes = 8>} { return }
