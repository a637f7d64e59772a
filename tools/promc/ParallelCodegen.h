//===- ParallelCodegen.h - promc: optimize and compile on several threads -===//

#ifndef PROM_TOOLS_PROMC_PARALLELCODEGEN_H
#define PROM_TOOLS_PROMC_PARALLELCODEGEN_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace promc {

using TargetMachineFactory =
    llvm::function_ref<llvm::Expected<std::unique_ptr<llvm::TargetMachine>>()>;

/// Splits `module` into `parts` linkable modules (llvm::SplitModule, which
/// keeps each function with the constants only it reads), then optimizes
/// each at `optLevel` and compiles it into an object file, one part a
/// thread, each in its own LLVMContext with its own target machine from
/// `createMachine`. Returns the object files: temporary files, the caller's
/// to link and remove. Locals that parts share become hidden globals, so
/// the objects are for a shared library only.
llvm::Expected<std::vector<std::string>>
emitObjectParts(std::unique_ptr<llvm::Module> module, unsigned parts,
                unsigned optLevel, TargetMachineFactory createMachine);

} // namespace promc

#endif // PROM_TOOLS_PROMC_PARALLELCODEGEN_H
