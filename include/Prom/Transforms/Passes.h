//===- Passes.h - prom transformation passes --------------------*- C++ -*-===//

#ifndef PROM_TRANSFORMS_PASSES_H
#define PROM_TRANSFORMS_PASSES_H

#include "Prom/Dialect/Prom/IR/PromDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace prom {

/// How `prom-assign-bitwidths` chooses a layer's weight representation.
enum class BitWidthPolicy { Prom, Int8, Float, Budget };

/// Which convolutions `prom-haste` may rewrite.
enum class HasteLayerKinds { All, Pointwise, Spatial };

/// Patterns of prom-qdq-to-integer, for use in other pipelines.
void populateQDQToIntegerPatterns(RewritePatternSet &patterns);

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "Prom/Transforms/Passes.h.inc"

} // namespace prom
} // namespace mlir

#endif // PROM_TRANSFORMS_PASSES_H
