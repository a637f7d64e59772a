//===- Passes.td - prom transformation passes ---------------*- tablegen -*-===//

#ifndef PROM_TRANSFORMS_PASSES_TD
#define PROM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PromAssignBitwidths : Pass<"prom-assign-bitwidths"> {
  let summary = "Choose a weight representation (ternary, int8, float) per layer";
  let description = [{
    Records, on every convolution and matrix multiplication that has not been
    quantized yet (TOSA `conv2d`, `depthwise_conv2d`, `matmul`; linalg
    `conv_2d_nhwc_{hwcf,fhwc}`, `depthwise_conv_2d_nhwc_hwc[m]`, `matmul`),
    the representation its weights get, as the discardable attribute
    `prom.bitwidth = #prom.bitwidth<ternary|int8|float>`. The plan is data in
    the IR: later passes (`prom-quantize`) read it, FileCheck tests see it, and
    a user may edit it by hand.

    Policies:
    * `prom` (the PROM paper's): every pointwise (1x1, ungrouped) convolution
      is ternary; every other convolution, depthwise convolution and
      matrix multiplication (the classifier) is int8.
    * `int8`: every layer int8.
    * `float`: nothing is quantized.
    * `budget`: as `prom`, but pointwise convolutions start int8 and go
      ternary one by one, least sensitive first, until the weights fit in
      `weight-budget` bytes (counted as in docs/quantization.md: 1 byte per
      int8 weight, 2 bits per ternary weight, 4 per float weight, plus an f32
      scale per output channel). A layer's sensitivity is the SQNR of its
      output with ternary weights, as `prom-ternary-sensitivity` measured it
      on calibration data (`prom.ternary_sqnr`), or else, data-free, the
      SQNR of its ternarized weights. A remark states the outcome; a budget
      that even an all-ternary plan misses gets a warning.

    `override` entries `REGEX=BITWIDTH` take precedence over the policy, the
    first match winning; `REGEX` must match a layer's whole name, which is
    the name of its location (`loc("features.0.0")`, as the ONNX importer
    sets it). Ternary is only valid for pointwise convolutions; an override
    that asks for it elsewhere is an error. An attribute already present is
    kept, so hand-made plans survive.

    `override-file` names a JSON file with more overrides, tried after the
    `override` entries, in order:
    `{"overrides": [ {"layer": "features[.]0[.].*", "bitwidth": "float"} ] }`.
  }];
  let options = [
    Option<"policy", "policy", "::mlir::prom::BitWidthPolicy",
           "::mlir::prom::BitWidthPolicy::Prom",
           "Per-layer weight representation policy",
           [{::llvm::cl::values(
             clEnumValN(::mlir::prom::BitWidthPolicy::Prom, "prom",
                        "ternary pointwise convolutions, int8 elsewhere"),
             clEnumValN(::mlir::prom::BitWidthPolicy::Int8, "int8",
                        "int8 everywhere"),
             clEnumValN(::mlir::prom::BitWidthPolicy::Float, "float",
                        "no quantization"),
             clEnumValN(::mlir::prom::BitWidthPolicy::Budget, "budget",
                        "ternary pointwise convolutions, least sensitive "
                        "first, until the weights fit weight-budget"))}]>,
    Option<"weightBudget", "weight-budget", "int64_t", /*default=*/"0",
           "Largest weight storage in bytes (policy=budget)">,
    ListOption<"overrides", "override", "std::string",
               "Per-layer overrides REGEX=ternary|int8|float, first match wins">,
    Option<"overrideFile", "override-file", "std::string", /*default=*/"",
           "JSON file of further overrides, after those of `override`">,
  ];
  let dependentDialects = ["::mlir::prom::PromDialect"];
}

def PromEmitCInterface : Pass<"prom-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Give every public function a C entry point";
  let description = [{
    Marks each public `func.func` with `llvm.emit_c_interface`, so that
    `convert-func-to-llvm` also emits `_mlir_ciface_<name>`, which takes
    pointers to memref descriptors: the entry point the execution harness
    and generated C headers call.

    Their tensor arguments are marked `bufferization.writable = false`: the
    caller owns those buffers, so bufferization must never update one in
    place (where a function would, it copies the argument first). Inputs
    are then only read, as promc's header promises and as lets the
    execution harness pass its buffers without copying them.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def PromMemRefCopyToLinalg : Pass<"prom-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` turns a copy between non-contiguous memrefs
    (e.g. into the interior of a padded buffer) into a call to the
    `memrefCopy` runtime function. As `linalg.copy`, the copy becomes plain
    loops instead, so that prom's generated code needs no MLIR runtime
    library. A copy of a view onto itself (two subviews of one buffer with
    the same offsets, sizes and strides, which bufferization leaves when a
    slice is updated in place and inserted back) is erased.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def PromQDQToInteger : Pass<"prom-qdq-to-integer"> {
  let summary = "Turn dequantize -> float op -> quantize into prom integer ops";
  let description = [{
    Quantized models arrive as QDQ: `prom.dequantize` on activations and
    on int8 weight constants, a float `tosa.conv2d` / `tosa.depthwise_conv2d`
    (with a float bias, an optional `tosa.clamp`), and a `prom.quantize` of
    the result. This pass replaces each such chain by one `prom.conv2d` on
    the int8 values with the model's own scales and zero points (the bias
    becomes i32 in units of input_scale * weight_scale, the clamp an integer
    clamp), or by a `prom.ternary_conv2d` when a 1x1 conv's weights are all
    in {-1, 0, +1}. Likewise a float add of two dequantized tensors becomes
    `prom.add` and an average pool `prom.avg_pool2d`. Layout ops between an
    activation's dequantize and its use (transpose, slice, reshape) move
    onto the int8 value.

    Chains that do not fit (float weights, asymmetric weights, per-axis
    activations) are left as they are, still correct in float.
  }];
  let dependentDialects = ["::mlir::prom::PromDialect",
                           "::mlir::tosa::TosaDialect"];
}

def PromTabulateElementwise : Pass<"prom-tabulate-elementwise"> {
  let summary = "Turn quantize(f(dequantize(x))) of one int8 value into a table";
  let description = [{
    A `prom.quantize` of an elementwise f32 function of one per-tensor
    `prom.dequantize` (`tosa.mul`, `add`, `sub`, `maximum`, `minimum`,
    `clamp`, with splat constants: hardswish, hardsigmoid, relu6) has 256
    possible results. This pass replaces it by a `prom.table` of them,
    evaluated with the reference lowering's f32 operations in its order,
    so that the output bytes do not change. The float ops go where nothing
    else reads them.
  }];
  let dependentDialects = ["::mlir::prom::PromDialect"];
}

def PromQuantize : Pass<"prom-quantize"> {
  let summary = "Quantize the layers the plan marks int8 or ternary, as QDQ";
  let description = [{
    Carries out the plan of `prom-assign-bitwidths` on float TOSA
    convolutions and depthwise convolutions:
    * weights become integer constants behind a per-output-channel
      `prom.dequantize`: `int8` symmetric (scale = max|w| / 127), `ternary`
      by TWN (threshold 0.7 * mean|w|, scale = mean |w| of the kept
      weights; see docs/quantization.md);
    * every quantization point (a planned layer's input and output after a
      fused clamp, and the outputs of residual adds and average pools of
      quantized tensors) gets a `prom.quantize` / `prom.dequantize` pair,
      asymmetric per tensor, from its calibrated range `prom.range`
      (`prom-calibrate` records it), widened to include zero.

    The result is a QDQ model, which `prom-qdq-to-integer` turns into prom
    integer ops. Layers that cannot be quantized (weights not constant, an
    op this pass does not handle yet) stay float with a remark; activations
    without a range stay float with one warning per function.
  }];
  let dependentDialects = ["::mlir::prom::PromDialect",
                           "::mlir::tosa::TosaDialect"];
}

def PromHaste : Pass<"prom-haste"> {
  let summary = "HASTE: merge redundant input channels of convolutions at run time";
  let description = [{
    Data-free, training-free channel merging (docs/haste.md). Each chosen
    float `tosa.conv2d`, `prom.conv2d` (groups 1) or `prom.ternary_conv2d`
    (one image, NHWC) becomes, per output patch, code
    that hashes the input tile's channels with `prom.haste_buckets` (random
    sparse hyperplanes drawn at compile time from `seed`, a constant in the
    IR), merges them with `prom.merge_channels` (inputs averaged, the
    matching filter slices summed: the filter is HWCF, transposed at compile
    time when it is a constant) and runs a `linalg.conv_2d_nhwc_hwcf` on
    the merged channels, whose count is a dynamic dimension. Integer convs
    compute in i32 on the input minus its zero point and end in a
    `prom.rescale` with their own requantization. The output's shape does
    not change.

    `patch=H,W` hashes each H x W block of the output on its own (its input
    tile, halo included); without it the whole map is one patch. `layers`
    is a regex a layer's whole name must match (its location name, as the
    ONNX importer sets it); `kinds` limits the rewrite to pointwise or to
    spatial convolutions. A depthwise convolution has no sum over input
    channels, so it is never a candidate; one that `layers` names gets a
    remark. Options out of range, a malformed `patch`, an invalid regex and
    a patch larger than a chosen layer's output are errors.

    `count-channels` adds a run-time counter: the public global
    `prom_haste_channels` (`memref<N x 2 x i64>`, one row per rewritten
    layer) accumulates the merged channel count and the number of patches
    hashed, and the module attribute `prom.haste_layers` names each row's
    layer and its input channels; `prom-run --haste-counts` prints them.
  }];
  let options = [
    Option<"layers", "layers", "std::string", /*default=*/"",
           "Regex of the layer names to rewrite (default: every candidate)">,
    Option<"kinds", "kinds", "::mlir::prom::HasteLayerKinds",
           "::mlir::prom::HasteLayerKinds::All",
           "Which convolutions are candidates",
           [{::llvm::cl::values(
             clEnumValN(::mlir::prom::HasteLayerKinds::All, "all",
                        "every dense convolution"),
             clEnumValN(::mlir::prom::HasteLayerKinds::Pointwise, "pointwise",
                        "1x1 convolutions"),
             clEnumValN(::mlir::prom::HasteLayerKinds::Spatial, "spatial",
                        "convolutions with a larger kernel"))}]>,
    Option<"hyperplanes", "hyperplanes", "int64_t", /*default=*/"12",
           "Hyperplanes per layer (L, 1-63): bits of each channel's code">,
    Option<"density", "density", "double", /*default=*/"0.333",
           "Probability that a hyperplane entry is nonzero, in (0, 1]">,
    ListOption<"patch", "patch", "int64_t",
               "Output patch H,W hashed on its own (default: the whole map)">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed of the hyperplanes (layer i uses a stream of its own)">,
    Option<"countChannels", "count-channels", "bool", /*default=*/"false",
           "Count channels kept at run time (module pass only)">,
  ];
  let dependentDialects = ["::mlir::prom::PromDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def PromCostReport : Pass<"prom-cost-report", "::mlir::ModuleOp"> {
  let summary = "Count operations, weight bytes and energy per layer";
  let description = [{
    For every layer in the module (prom.conv2d, prom.ternary_conv2d,
    prom.fully_connected, and convolutions or matrix multiplications still in
    float), counts the multiply-accumulates of the dense layer, the
    multiplies and additions its form performs (a ternary layer: one
    addition or subtraction per nonzero weight and output pixel, no
    multiplies), weight storage as stored (ternary packed 2 bits or 5 trits
    per byte, plus per-channel scales and biases), output activation bytes,
    and energy from an energy table; and the same model at fp16 and at int8,
    so that the ratios come from one run. docs/cost-model.md states what
    counts at which width.

    `energy-table=FILE` replaces the default table (Horowitz, ISSCC 2014,
    45 nm) with a JSON one; `report=FILE` writes the report as JSON, `table=FILE`
    as a readable table (`-` for stdout). The IR is not changed.

    `haste-counts=FILE` adds what HASTE saved on real inputs: the JSON that
    `prom-run --haste-report` writes from the run-time counters of a
    `prom-haste{count-channels=1}` build of the same model. Each layer named
    there gets its mean input channels kept and its MACs after merging
    (MACs x kept / input channels), and the totals the model's MACs with
    HASTE; every other count is of the layer as compiled without HASTE.
  }];
  let options = [
    Option<"energyTable", "energy-table", "std::string", /*default=*/"",
           "JSON energy table (default: Horowitz, ISSCC 2014, 45 nm)">,
    Option<"report", "report", "std::string", /*default=*/"",
           "Write the report as JSON to this file">,
    Option<"table", "table", "std::string", /*default=*/"",
           "Write the report as a readable table to this file ('-': stdout)">,
    Option<"hasteCounts", "haste-counts", "std::string", /*default=*/"",
           "HASTE channel counts measured by prom-run --haste-report">,
  ];
}

#endif // PROM_TRANSFORMS_PASSES_TD
