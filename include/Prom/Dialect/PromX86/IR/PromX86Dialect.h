//===- PromX86Dialect.h - prom_x86 dialect ----------------------*- C++ -*-===//

#ifndef PROM_DIALECT_PROMX86_IR_PROMX86DIALECT_H
#define PROM_DIALECT_PROMX86_IR_PROMX86DIALECT_H

#include "mlir/IR/Dialect.h"

#include "Prom/Dialect/PromX86/IR/PromX86Dialect.h.inc"

#endif // PROM_DIALECT_PROMX86_IR_PROMX86DIALECT_H
