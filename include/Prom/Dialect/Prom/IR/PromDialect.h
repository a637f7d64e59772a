//===- PromDialect.h - prom dialect -----------------------------*- C++ -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMDIALECT_H
#define PROM_DIALECT_PROM_IR_PROMDIALECT_H

#include "mlir/IR/Dialect.h"

#include "Prom/Dialect/Prom/IR/PromDialect.h.inc"

#endif // PROM_DIALECT_PROM_IR_PROMDIALECT_H
