//===- PromOps.td - prom operations -------------------------*- tablegen -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMOPS_TD
#define PROM_DIALECT_PROM_IR_PROMOPS_TD

include "Prom/Dialect/Prom/IR/PromDialect.td"
include "Prom/Dialect/Prom/IR/PromAttrs.td"
include "Prom/Dialect/Prom/IR/PromInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Prom_I8FeatureMap : 4DTensorOf<[I8]>;
def Prom_I8Weights : 4DTensorOf<[I8]>;
def Prom_I32Bias : 1DTensorOf<[I32]>;

// Signless integer attributes read back sign-extended, so that verifiers see
// -128 (not 4294967168) and a negative axis or group count is reported as
// such.
class Prom_SignedAttr<I type, string cppType>
    : TypedSignlessIntegerAttrBase<type, cppType,
                                   type.bitwidth # "-bit signless integer attribute"> {
  let convertFromStorage =
      "static_cast<" # cppType # ">($_self.getValue().getSExtValue())";
}
def Prom_I32Attr : Prom_SignedAttr<I32, "int32_t">;
def Prom_I64Attr : Prom_SignedAttr<I64, "int64_t">;

//===----------------------------------------------------------------------===//
// Float <-> int8 boundary
//===----------------------------------------------------------------------===//

def Prom_QuantizeOp : Prom_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "f32 to int8 affine quantization";
  let description = [{
    `q = clamp(round(x / scale) + zero_point, -128, 127)` elementwise, with
    the rounding rule of `docs/numerics.md`.

    Per tensor: `scales` and `zero_points` hold one value each and `axis` is
    absent. Per axis: `axis` names the dimension, and `scales`/`zero_points`
    hold one value per index of that dimension.

    ```mlir
    %q = prom.quantize %x scales [2.0e-02] zero_points [-3]
           : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xi8>
    %w = prom.quantize %f scales [0.1, 0.2] zero_points [0, 0] axis 0
           : tensor<2x3x3x4xf32> -> tensor<2x3x3x4xi8>
    ```
  }];
  let arguments = (ins
    TensorOf<[F32]>:$input,
    DenseF32ArrayAttr:$scales,
    DenseI32ArrayAttr:$zero_points,
    OptionalAttr<Prom_I64Attr>:$axis);
  let results = (outs TensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $input `scales` custom<FloatArray>($scales) `zero_points` $zero_points (`axis` $axis^)?
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Prom_DequantizeOp : Prom_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "int8 to f32 affine dequantization";
  let description = [{
    `x = (q - zero_point) * scale` elementwise; `scales`, `zero_points` and
    `axis` as in `prom.quantize`.

    ```mlir
    %x = prom.dequantize %q scales [2.0e-02] zero_points [-3]
           : tensor<1x1000xi8> -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins
    TensorOf<[I8]>:$input,
    DenseF32ArrayAttr:$scales,
    DenseI32ArrayAttr:$zero_points,
    OptionalAttr<Prom_I64Attr>:$axis);
  let results = (outs TensorOf<[F32]>:$output);
  let assemblyFormat = [{
    $input `scales` custom<FloatArray>($scales) `zero_points` $zero_points (`axis` $axis^)?
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

def Prom_Conv2DOp : Prom_Op<"conv2d", [Pure,
    DeclareOpInterfaceMethods<Prom_ClampedOutputOpInterface>]> {
  let summary = "int8 2-D convolution (NHWC, OHWI) with requantized int8 output";
  let description = [{
    A grouped 2-D convolution on an int8 NHWC feature map with int8 OHWI
    weights (`[Co, Kh, Kw, Ci / groups]`), symmetric per output channel.
    `groups == Ci` with `Co` a multiple of `Ci` is a depthwise convolution.

    Products accumulate in i32 after the input zero point is subtracted; the
    optional i32 `bias` (`[Co]`, in units of `input_scale * weight_scale[c]`)
    is added; each output channel `c` is then requantized by
    `input_scale * weight_scales[c] / output_scale`, offset by `output_zp`,
    clamped to `clamp` (default `[-128, 127]`) and stored as i8. The exact
    integer rule is in `docs/numerics.md`.

    `pad` is `[top, bottom, left, right]`; `stride` and `dilation` are
    `[h, w]`. The quantization groups print as `input(scale, zero_point)` and
    `output(scale, zero_point)`.

    ```mlir
    %y = prom.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1]
           groups 8 input(2.0e-02, -128) weight_scales [...]
           output(5.0e-02, 3) clamp [-128, 127]
           : (tensor<1x8x8x8xi8>, tensor<8x3x3x1xi8>, tensor<8xi32>)
             -> tensor<1x8x8x8xi8>
    ```
  }];
  let arguments = (ins
    Prom_I8FeatureMap:$input,
    Prom_I8Weights:$weights,
    Optional<Prom_I32Bias>:$bias,
    DenseI64ArrayAttr:$stride,
    DenseI64ArrayAttr:$pad,
    DenseI64ArrayAttr:$dilation,
    Prom_I64Attr:$groups,
    F32Attr:$input_scale,
    Prom_I32Attr:$input_zp,
    DenseF32ArrayAttr:$weight_scales,
    F32Attr:$output_scale,
    Prom_I32Attr:$output_zp,
    OptionalAttr<DenseI32ArrayAttr>:$clamp);
  let results = (outs Prom_I8FeatureMap:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)?
    `stride` $stride `pad` $pad `dilation` $dilation `groups` $groups
    `input` `(` $input_scale `,` $input_zp `)`
    `weight_scales` custom<FloatArray>($weight_scales)
    `output` `(` $output_scale `,` $output_zp `)`
    (`clamp` $clamp^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Prom_TernaryConv2DOp : Prom_Op<"ternary_conv2d", [Pure,
    DeclareOpInterfaceMethods<Prom_ClampedOutputOpInterface>]> {
  let summary = "pointwise (1x1) convolution with ternary weights";
  let description = [{
    A 1x1 convolution whose weights (`[Co, 1, 1, Ci]`, i8) take only the
    values -1, 0 and +1, so its inner loop needs no multiplication: each
    output is a sum of some inputs minus a sum of others. `weight_scales`
    holds the ternary scale of each output channel (the magnitude that +1
    stands for); requantization, bias, zero points and clamp are as in
    `prom.conv2d`. When the weights are a constant, the verifier checks
    every value.

    ```mlir
    %y = prom.ternary_conv2d %x, %w stride [1, 1] input(2.0e-02, -128)
           weight_scales [3.1e-02, 2.7e-02] output(5.0e-02, 3)
           : (tensor<1x8x8x4xi8>, tensor<2x1x1x4xi8>) -> tensor<1x8x8x2xi8>
    ```
  }];
  let arguments = (ins
    Prom_I8FeatureMap:$input,
    Prom_I8Weights:$weights,
    Optional<Prom_I32Bias>:$bias,
    DenseI64ArrayAttr:$stride,
    F32Attr:$input_scale,
    Prom_I32Attr:$input_zp,
    DenseF32ArrayAttr:$weight_scales,
    F32Attr:$output_scale,
    Prom_I32Attr:$output_zp,
    OptionalAttr<DenseI32ArrayAttr>:$clamp);
  let results = (outs Prom_I8FeatureMap:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)?
    `stride` $stride
    `input` `(` $input_scale `,` $input_zp `)`
    `weight_scales` custom<FloatArray>($weight_scales)
    `output` `(` $output_scale `,` $output_zp `)`
    (`clamp` $clamp^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Matrix multiplication
//===----------------------------------------------------------------------===//

def Prom_FullyConnectedOp : Prom_Op<"fully_connected", [Pure,
    DeclareOpInterfaceMethods<Prom_ClampedOutputOpInterface>]> {
  let summary = "int8 fully connected layer (classifier) with requantized output";
  let description = [{
    `y[n, c] = requant(bias[c] + sum_k (x[n, k] - input_zp) * w[c, k])`:
    weights are `[out_features, in_features]` (PyTorch Linear, ONNX Gemm with
    `transB`), symmetric per output feature. Requantization, bias and clamp
    as in `prom.conv2d`.

    ```mlir
    %y = prom.fully_connected %x, %w, %b input(2.0e-02, -128)
           weight_scales [...] output(1.0e-01, 0)
           : (tensor<1x1280xi8>, tensor<1000x1280xi8>, tensor<1000xi32>)
             -> tensor<1x1000xi8>
    ```
  }];
  let arguments = (ins
    2DTensorOf<[I8]>:$input,
    2DTensorOf<[I8]>:$weights,
    Optional<Prom_I32Bias>:$bias,
    F32Attr:$input_scale,
    Prom_I32Attr:$input_zp,
    DenseF32ArrayAttr:$weight_scales,
    F32Attr:$output_scale,
    Prom_I32Attr:$output_zp,
    OptionalAttr<DenseI32ArrayAttr>:$clamp);
  let results = (outs 2DTensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)?
    `input` `(` $input_scale `,` $input_zp `)`
    `weight_scales` custom<FloatArray>($weight_scales)
    `output` `(` $output_scale `,` $output_zp `)`
    (`clamp` $clamp^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Requantization and elementwise
//===----------------------------------------------------------------------===//

def Prom_RescaleOp : Prom_Op<"rescale", [Pure, SameOperandsAndResultShape,
    DeclareOpInterfaceMethods<Prom_ClampedOutputOpInterface>]> {
  let summary = "requantize an i8 or i32 tensor to i8";
  let description = [{
    `y = clamp(apply(x - input_zp, scales) + output_zp)`: `scales` are the
    real ratios (f64) by which the input's integer grid maps onto the
    output's, one per tensor or one per index of `axis`. The fixed-point
    form is derived by the rule of docs/numerics.md, so a TOSA-style
    (multiplier, shift) pair converts exactly: its ratio is
    `multiplier * 2^-shift`.

    ```mlir
    %y = prom.rescale %acc input_zp 0 scales [1.5e-03] output_zp -5
           : tensor<1x8x8x16xi32> -> tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins
    TensorOf<[I8, I32]>:$input,
    Prom_I32Attr:$input_zp,
    DenseF64ArrayAttr:$scales,
    OptionalAttr<Prom_I64Attr>:$axis,
    Prom_I32Attr:$output_zp,
    OptionalAttr<DenseI32ArrayAttr>:$clamp);
  let results = (outs TensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $input `input_zp` $input_zp `scales` custom<FloatArray>($scales) (`axis` $axis^)?
    `output_zp` $output_zp (`clamp` $clamp^)?
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Prom_AddOp : Prom_Op<"add", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<Prom_ClampedOutputOpInterface>]> {
  let summary = "quantized elementwise addition (residual connection)";
  let description = [{
    Adds two i8 tensors of the same shape, each with its own scale and zero
    point, into a third quantization, with one rounding
    (docs/numerics.md, section 5).

    ```mlir
    %y = prom.add %a, %b lhs(2.0e-02, 3) rhs(3.0e-02, -1) output(4.0e-02, 0)
           : tensor<1x56x56x24xi8>
    ```
  }];
  let arguments = (ins
    TensorOf<[I8]>:$lhs,
    TensorOf<[I8]>:$rhs,
    F32Attr:$lhs_scale,
    Prom_I32Attr:$lhs_zp,
    F32Attr:$rhs_scale,
    Prom_I32Attr:$rhs_zp,
    F32Attr:$output_scale,
    Prom_I32Attr:$output_zp,
    OptionalAttr<DenseI32ArrayAttr>:$clamp);
  let results = (outs TensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs
    `lhs` `(` $lhs_scale `,` $lhs_zp `)`
    `rhs` `(` $rhs_scale `,` $rhs_zp `)`
    `output` `(` $output_scale `,` $output_zp `)`
    (`clamp` $clamp^)?
    attr-dict `:` type($output)
  }];
  let hasVerifier = 1;
}

def Prom_ClampOp : Prom_Op<"clamp", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<Prom_ClampedOutputOpInterface,
                              ["getClampBounds", "setClampBounds"]>]> {
  let summary = "clamp an i8 tensor to [min, max]";
  let description = [{
    `y = min(max(x, min), max)`: a quantized ReLU / ReLU6 when it is not
    folded into the op before it (canonicalization does that).

    ```mlir
    %y = prom.clamp %x min -128 max 20 : tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins
    TensorOf<[I8]>:$input,
    Prom_I32Attr:$min,
    Prom_I32Attr:$max);
  let results = (outs TensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $input `min` $min `max` $max attr-dict `:` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Prom_TableOp : Prom_Op<"table", [Pure, SameOperandsAndResultType]> {
  let summary = "i8 -> i8 lookup table (nonlinearities)";
  let description = [{
    `y = table[x + 128]`: any function of one int8 value, e.g. a quantized
    hardswish, hardsigmoid or sigmoid, tabulated at compile time for the
    input and output quantization.

    ```mlir
    %y = prom.table %x [-128, -127, ..., 127] : tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins
    TensorOf<[I8]>:$input,
    DenseI8ArrayAttr:$table);
  let results = (outs TensorOf<[I8]>:$output);
  let assemblyFormat = "$input $table attr-dict `:` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling and data movement
//===----------------------------------------------------------------------===//

def Prom_AvgPool2DOp : Prom_Op<"avg_pool2d", [Pure,
    DeclareOpInterfaceMethods<Prom_ClampedOutputOpInterface>]> {
  let summary = "int8 average pooling (NHWC), also global average pooling";
  let description = [{
    The average of each `kernel` window, requantized from the input to the
    output quantization (docs/numerics.md, section 6). Without
    `count_include_pad` the divisor counts only the positions inside the
    input (ONNX's default). Global average pooling is `kernel = [H, W]`.

    ```mlir
    %y = prom.avg_pool2d %x kernel [7, 7] stride [1, 1] pad [0, 0, 0, 0]
           input(2.0e-02, -128) output(1.0e-02, -128)
           : tensor<1x7x7x1280xi8> -> tensor<1x1x1x1280xi8>
    ```
  }];
  let arguments = (ins
    Prom_I8FeatureMap:$input,
    DenseI64ArrayAttr:$kernel,
    DenseI64ArrayAttr:$stride,
    DenseI64ArrayAttr:$pad,
    UnitAttr:$count_include_pad,
    F32Attr:$input_scale,
    Prom_I32Attr:$input_zp,
    F32Attr:$output_scale,
    Prom_I32Attr:$output_zp,
    OptionalAttr<DenseI32ArrayAttr>:$clamp);
  let results = (outs Prom_I8FeatureMap:$output);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `pad` $pad
    (`count_include_pad` $count_include_pad^)?
    `input` `(` $input_scale `,` $input_zp `)`
    `output` `(` $output_scale `,` $output_zp `)`
    (`clamp` $clamp^)?
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Prom_ConcatOp : Prom_Op<"concat", [Pure]> {
  let summary = "concatenate i8 tensors that share one quantization";
  let description = [{
    Concatenates along `axis`; the bytes are copied unchanged, so all inputs
    and the result carry the same scale and zero point.

    ```mlir
    %y = prom.concat %a, %b axis 3
           : (tensor<1x8x8x16xi8>, tensor<1x8x8x8xi8>) -> tensor<1x8x8x24xi8>
    ```
  }];
  let arguments = (ins
    Variadic<TensorOf<[I8]>>:$inputs,
    Prom_I64Attr:$axis);
  let results = (outs TensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $inputs `axis` $axis attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// HASTE: merging redundant input channels at run time
//===----------------------------------------------------------------------===//

def Prom_HasteBucketsOp : Prom_Op<"haste_buckets", [Pure]> {
  let summary = "bucket the channels of a feature map by locality-sensitive hashing";
  let description = [{
    HASTE's hash (docs/haste.md): each channel `c` of the NHWC `input`
    (`N == 1`; f32, or integers converted to f32: the integer rewrite
    passes the stored int8 values) is read as the vector of its
    `H * W` values, position
    `p = h * W + w`, and centered by its mean; bit `l` of its code is set
    when the centered vector's dot product with row `l` of `hyperplanes`
    (`[L, P]`, entries in {-1, 0, +1}, `P >= H * W`, columns past `H * W`
    unused) is greater than zero. That dot product is computed as
    `S - mean * R`, with `S` the dot product of the uncentered vector and
    `R` the sum of the row's entries over the `H * W` positions, so the
    input is read once. Channels with equal codes share a bucket.

    `buckets[c]` is the bucket of channel `c`; buckets are numbered in the
    order of their first channel, so `count` (the number of distinct codes,
    `1 <= count <= C`) is the channel count after merging, known only at run
    time. The sums run in the order given here; the result is exact for a
    given order, so a lowering must keep it.

    ```mlir
    %buckets, %count = prom.haste_buckets %x, %planes
        : tensor<1x8x8x32xf32>, tensor<6x64xi8> -> tensor<32xindex>
    ```
  }];
  let arguments = (ins 4DTensorOf<[F32, I8, I32]>:$input,
                       2DTensorOf<[I8]>:$hyperplanes);
  let results = (outs 1DTensorOf<[Index]>:$buckets, Index:$count);
  let assemblyFormat = [{
    $input `,` $hyperplanes attr-dict `:` type($input) `,` type($hyperplanes)
    `->` type($buckets)
  }];
  let hasVerifier = 1;
}

def Prom_MergeChannelsOp : Prom_Op<"merge_channels", [Pure]> {
  let summary = "merge the channels of a tensor (one dimension) by bucket";
  let description = [{
    Along dimension `d` (`along d`; the last one, 3, by default):
    `output[..., b, ...] = sum of input[..., c, ...] over the channels c
    with buckets[c] == b`, summed in increasing `c` from 0 in the output's
    element type (integers wrap; a wider integer output sign-extends the
    input first); with `average`, divided by the number of such
    channels (f32: a float division; integers: rounded half away from
    zero). The result's dimension `d` is the dynamic `count`. HASTE
    averages a conv's input channels (NHWC, dimension 3) and sums the
    matching filter slices (HWCF, dimension 2), so the conv runs on `count`
    channels.

    ```mlir
    %xm = prom.merge_channels %x, %buckets, %count average
        : tensor<1x8x8x32xf32>, tensor<32xindex> -> tensor<1x8x8x?xf32>
    %wm = prom.merge_channels %w, %buckets, %count along 2
        : tensor<3x3x32x16xi8>, tensor<32xindex> -> tensor<3x3x?x16xi16>
    ```
  }];
  let arguments = (ins
    4DTensorOf<[F32, I8, I16, I32]>:$input,
    1DTensorOf<[Index]>:$buckets,
    Index:$count,
    UnitAttr:$average,
    OptionalAttr<I64Attr>:$dimension);
  let results = (outs 4DTensorOf<[F32, I16, I32]>:$output);
  let assemblyFormat = [{
    $input `,` $buckets `,` $count (`average` $average^)?
    (`along` $dimension^)? attr-dict
    `:` type($input) `,` type($buckets) `->` type($output)
  }];
  let extraClassDeclaration = [{
    /// The dimension merged: `dimension`, else the last.
    int64_t getMergedDimension() { return getDimension().value_or(3); }
  }];
  let hasVerifier = 1;
}

#endif // PROM_DIALECT_PROM_IR_PROMOPS_TD
