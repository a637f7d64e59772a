//===- PromDialect.td - prom dialect definition ------------*- tablegen -*-===//
//
// The prom dialect: integer (int8) and ternary convolutions for
// depthwise-separable CNNs on CPUs.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_DIALECT_PROM_IR_PROMDIALECT_TD
#define PROM_DIALECT_PROM_IR_PROMDIALECT_TD

include "mlir/IR/OpBase.td"

def Prom_Dialect : Dialect {
  let name = "prom";
  let cppNamespace = "::mlir::prom";
  let summary = "Quantized int8 and ternary convolutions for CPU inference";
  let description = [{
    The prom dialect holds the quantized operations prom compiles CNNs into:
    int8 convolutions (including depthwise, `groups == channels`) and ternary
    pointwise convolutions whose weights are in {-1, 0, +1}, together with the
    float <-> int8 boundary ops.

    Tensors use builtin signless integer element types (`i8`, `i32`);
    quantization parameters (scales, zero points) are explicit attributes on
    each op, so every lowering can follow `docs/numerics.md` bit for bit.
    Feature maps are NHWC; convolution weights are OHWI
    (`[out_channels, kernel_h, kernel_w, in_channels / groups]`).
  }];
  let useDefaultAttributePrinterParser = 1;
}

class Prom_Op<string mnemonic, list<Trait> traits = []>
    : Op<Prom_Dialect, mnemonic, traits>;

#endif // PROM_DIALECT_PROM_IR_PROMDIALECT_TD
