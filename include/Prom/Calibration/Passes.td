//===- Passes.td - prom passes that run the model ------------*- tablegen -*-===//
//
// Passes that compile and execute (a copy of) the module they work on, and
// so depend on the JIT; kept apart from Prom/Transforms for that reason.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CALIBRATION_PASSES_TD
#define PROM_CALIBRATION_PASSES_TD

include "mlir/Pass/PassBase.td"

def PromCalibrate : Pass<"prom-calibrate", "::mlir::ModuleOp"> {
  let summary = "Measure activation ranges by running the float model";
  let description = [{
    Runs a copy of the module, compiled for the host, on calibration inputs
    and records the range of every quantization point (the activations
    `prom-quantize` will quantize, see `prom-assign-bitwidths`) as
    `prom.range = array<f32: min, max>` on the op that defines it (an
    argument attribute for a function argument).

    Inputs: `inputs=DIR` names a directory of `.npy` files (float32, C
    order), read in file-name order. A file holds one input of the
    function's argument shape, or several stacked along the batch dimension
    when that is 1. Every public function with quantization points is
    calibrated; it must take exactly one argument. Without `inputs` the pass
    warns and calibrates on `samples` pseudo-random inputs drawn from N(0, 1)
    with `seed`: enough to compile and test, not to be accurate.

    Methods: `minmax` takes the observed extremes; `percentile` the
    `percentile`-th and (100 - `percentile`)-th percentiles of the observed
    values (at most 2^20 values per point and input, evenly strided), which
    ignores rare outliers.

    `sqnr-report=FILE` also quantizes a copy (`prom-quantize`,
    `prom-qdq-to-integer`), runs it on the same inputs and writes, as JSON,
    the signal-to-quantization-noise ratio of every quantization point and
    function result against the float model:
    `10 log10(sum f^2 / sum (f - q)^2)` over all inputs, `null` when exact.
  }];
  let options = [
    Option<"inputs", "inputs", "std::string", /*default=*/"",
           "Directory of .npy calibration inputs">,
    Option<"method", "method", "::mlir::prom::CalibrationMethod",
           "::mlir::prom::CalibrationMethod::MinMax",
           "How a range is taken from the observed values",
           [{::llvm::cl::values(
             clEnumValN(::mlir::prom::CalibrationMethod::MinMax, "minmax",
                        "observed minimum and maximum"),
             clEnumValN(::mlir::prom::CalibrationMethod::Percentile,
                        "percentile", "percentiles of the observed values"))}]>,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Upper percentile for method=percentile (the lower is 100 - it)">,
    Option<"samples", "samples", "unsigned", /*default=*/"8",
           "Number of pseudo-random inputs when no inputs are given">,
    Option<"seed", "seed", "unsigned", /*default=*/"0",
           "Seed of the pseudo-random inputs">,
    Option<"sqnrReport", "sqnr-report", "std::string", /*default=*/"",
           "Write the per-point SQNR of the quantized model to this file">,
  ];
}

def PromTernarySensitivity
    : Pass<"prom-ternary-sensitivity", "::mlir::ModuleOp"> {
  let summary = "Measure how much ternary weights hurt each pointwise conv";
  let description = [{
    For every float pointwise (1x1) `tosa.conv2d` with constant weights,
    runs a copy of the model on calibration inputs beside a twin of the
    layer with TWN-ternarized weights (as `prom-quantize` would make them)
    on the same float input, and records the SQNR of the twin's output
    against the layer's, over all inputs, as `prom.ternary_sqnr = <dB> : f32`
    (capped at 200 dB). `prom-assign-bitwidths{policy=budget}` makes the
    layers with the highest SQNR ternary first.

    The measure is local (each layer on float inputs, errors not propagated),
    so one compiled run serves all layers. Inputs, `samples` and `seed` as
    in `prom-calibrate`.
  }];
  let options = [
    Option<"inputs", "inputs", "std::string", /*default=*/"",
           "Directory of .npy calibration inputs">,
    Option<"samples", "samples", "unsigned", /*default=*/"8",
           "Number of pseudo-random inputs when no inputs are given">,
    Option<"seed", "seed", "unsigned", /*default=*/"0",
           "Seed of the pseudo-random inputs">,
  ];
}

#endif // PROM_CALIBRATION_PASSES_TD
