//===- RunProfile.h - promc --profile: run the library, time its layers ---===//

#ifndef PROM_TOOLS_PROMC_RUNPROFILE_H
#define PROM_TOOLS_PROMC_RUNPROFILE_H

#include "EntryPoint.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Error.h"

namespace promc {

/// Loads the shared library `path` built with prom-profile-layers, calls
/// its entry point on pseudo-random inputs (5 warm-up calls, then `runs`
/// timed ones), and prints the per-layer table; with `json`, also writes
/// it there.
llvm::Error runProfile(llvm::StringRef path,
                       const EntryPointSignature &signature,
                       mlir::ArrayAttr layers, unsigned runs,
                       llvm::StringRef json);

} // namespace promc

#endif // PROM_TOOLS_PROMC_RUNPROFILE_H
