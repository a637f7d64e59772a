//===- PromOps.h - prom operations ------------------------------*- C++ -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMOPS_H
#define PROM_DIALECT_PROM_IR_PROMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "Prom/Dialect/Prom/IR/PromAttrs.h"
#include "Prom/Dialect/Prom/IR/PromDialect.h"
#include "Prom/Dialect/Prom/IR/PromInterfaces.h"

#define GET_OP_CLASSES
#include "Prom/Dialect/Prom/IR/PromOps.h.inc"

#endif // PROM_DIALECT_PROM_IR_PROMOPS_H
