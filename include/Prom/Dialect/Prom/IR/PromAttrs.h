//===- PromAttrs.h - prom attributes ----------------------------*- C++ -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMATTRS_H
#define PROM_DIALECT_PROM_IR_PROMATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "Prom/Dialect/Prom/IR/PromEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Prom/Dialect/Prom/IR/PromAttrs.h.inc"

#endif // PROM_DIALECT_PROM_IR_PROMATTRS_H
