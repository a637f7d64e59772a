//===- PromInterfaces.h - prom op interfaces --------------------*- C++ -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMINTERFACES_H
#define PROM_DIALECT_PROM_IR_PROMINTERFACES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"

#include <optional>
#include <utility>

#include "Prom/Dialect/Prom/IR/PromInterfaces.h.inc"

#endif // PROM_DIALECT_PROM_IR_PROMINTERFACES_H
