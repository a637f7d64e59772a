//===- PromAttrs.td - prom attributes -----------------------*- tablegen -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMATTRS_TD
#define PROM_DIALECT_PROM_IR_PROMATTRS_TD

include "Prom/Dialect/Prom/IR/PromDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

// How a layer's weights are represented after quantization. Recorded on the
// layer by `prom-assign-bitwidths`, read by `prom-quantize`.
def Prom_BitWidth : I32EnumAttr<"BitWidth", "weight representation of a layer", [
    I32EnumAttrCase<"Float", 0, "float">,
    I32EnumAttrCase<"Int8", 1, "int8">,
    I32EnumAttrCase<"Ternary", 2, "ternary">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

def Prom_BitWidthAttr : EnumAttr<Prom_Dialect, Prom_BitWidth, "bitwidth"> {
  let summary = "weight bit-width chosen for a layer";
  let assemblyFormat = "`<` $value `>`";
}

#endif // PROM_DIALECT_PROM_IR_PROMATTRS_TD
