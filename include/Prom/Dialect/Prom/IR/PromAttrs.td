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

// The x86 integer dot-product instructions `prom.x86_dot` stands for.
def Prom_X86DotKind : I32EnumAttr<"X86DotKind", "x86 integer dot product", [
    I32EnumAttrCase<"Vpdpbusd", 0, "vpdpbusd">,
    I32EnumAttrCase<"Vpmaddubsw", 1, "vpmaddubsw">,
    I32EnumAttrCase<"Vpmaddwd", 2, "vpmaddwd">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom";
}

def Prom_X86DotKindAttr : EnumAttr<Prom_Dialect, Prom_X86DotKind, "x86_dot_kind"> {
  let summary = "which x86 dot-product instruction";
  let assemblyFormat = "$value";
}

#endif // PROM_DIALECT_PROM_IR_PROMATTRS_TD
