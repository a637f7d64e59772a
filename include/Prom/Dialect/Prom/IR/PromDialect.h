//===- PromDialect.h - prom dialect -----------------------------*- C++ -*-===//

#ifndef PROM_DIALECT_PROM_IR_PROMDIALECT_H
#define PROM_DIALECT_PROM_IR_PROMDIALECT_H

#include "mlir/IR/Dialect.h"

#include "Prom/Dialect/Prom/IR/PromDialect.h.inc"

namespace mlir {
namespace prom {
/// Unit attribute on an entry argument or result of i8 type that holds
/// uint8 bytes (a uint8 ONNX input or output), for the C header.
inline constexpr llvm::StringLiteral kUint8AttrName = "prom.uint8";
} // namespace prom
} // namespace mlir

#endif // PROM_DIALECT_PROM_IR_PROMDIALECT_H
