//===- Passes.h - prom CPU code generation passes ---------------*- C++ -*-===//

#ifndef PROM_CODEGEN_CPU_PASSES_H
#define PROM_CODEGEN_CPU_PASSES_H

#include "Prom/Dialect/Prom/IR/PromDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace prom {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "Prom/Codegen/CPU/Passes.h.inc"

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_PASSES_H
