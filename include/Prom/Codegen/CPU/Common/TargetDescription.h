//===- TargetDescription.h - the CPU prom compiles for ----------*- C++ -*-===//
//
// The one place where a `#prom.target` is made: from an LLVM subtarget (the
// tools' target machine) or from a triple, CPU name and feature list (the
// host when empty). Passes read it from the module (getTarget).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CODEGEN_CPU_COMMON_TARGETDESCRIPTION_H
#define PROM_CODEGEN_CPU_COMMON_TARGETDESCRIPTION_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"

#include "llvm/Support/Error.h"

namespace llvm {
class MCSubtargetInfo;
} // namespace llvm

namespace mlir {
class ModuleOp;
class Operation;
namespace prom {

/// The module attribute that holds the target.
constexpr llvm::StringLiteral kTargetAttrName = "prom.target";

/// The target an LLVM subtarget describes; cache sizes are the host's when
/// `isHost`, else typical ones (32 KiB L1d, 1 MiB L2).
TargetAttr describeTarget(MLIRContext *context,
                          const llvm::MCSubtargetInfo &subtarget, bool isHost);

/// The target of `cpu` with `features` (LLVM's "+avx2,-avx512f" form) on
/// `triple`; all three empty: the host. An unknown CPU or feature is an
/// error naming it.
llvm::Expected<TargetAttr> describeTarget(MLIRContext *context,
                                          llvm::StringRef triple,
                                          llvm::StringRef cpu,
                                          llvm::StringRef features);

/// The `prom.target` of `op`'s module (or of `op`, a module), if any.
TargetAttr getTarget(Operation *op);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_COMMON_TARGETDESCRIPTION_H
