//===- Passes.h - prom CPU code generation passes ---------------*- C++ -*-===//

#ifndef PROM_CODEGEN_CPU_PASSES_H
#define PROM_CODEGEN_CPU_PASSES_H

#include "Prom/Dialect/Prom/IR/PromDialect.h"
#include "Prom/Dialect/PromX86/IR/PromX86Dialect.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
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
