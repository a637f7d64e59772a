//===- PromInterfaces.td - prom op interfaces ---------------*- tablegen -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMINTERFACES_TD
#define PROM_DIALECT_PROM_IR_PROMINTERFACES_TD

include "mlir/IR/OpBase.td"

def Prom_ClampedOutputOpInterface : OpInterface<"ClampedOutputOpInterface"> {
  let description = [{
    An op whose i8 result is clamped to `[lo, hi]` as the last step of its
    computation (docs/numerics.md, "Output"). A following `prom.clamp` can be
    folded into it.
  }];
  let cppNamespace = "::mlir::prom";
  let methods = [
    InterfaceMethod<"The clamp bounds, [-128, 127] when there is no clamp.",
      "std::pair<int32_t, int32_t>", "getClampBounds", (ins), [{}], [{
        if (std::optional<::llvm::ArrayRef<int32_t>> clamp = $_op.getClamp())
          return {(*clamp)[0], (*clamp)[1]};
        return {-128, 127};
      }]>,
    InterfaceMethod<"Sets the clamp bounds.",
      "void", "setClampBounds", (ins "int32_t":$lo, "int32_t":$hi), [{}], [{
        $_op.setClampAttr(
            ::mlir::DenseI32ArrayAttr::get($_op->getContext(), {lo, hi}));
      }]>,
  ];
}

#endif // PROM_DIALECT_PROM_IR_PROMINTERFACES_TD
