//===- PromX86Ops.h - prom_x86 operations -----------------------*- C++ -*-===//

#ifndef PROM_DIALECT_PROMX86_IR_PROMX86OPS_H
#define PROM_DIALECT_PROMX86_IR_PROMX86OPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "Prom/Dialect/PromX86/IR/PromX86Dialect.h"
#include "Prom/Dialect/PromX86/IR/PromX86Enums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Prom/Dialect/PromX86/IR/PromX86Attrs.h.inc"

#define GET_OP_CLASSES
#include "Prom/Dialect/PromX86/IR/PromX86Ops.h.inc"

#endif // PROM_DIALECT_PROMX86_IR_PROMX86OPS_H
