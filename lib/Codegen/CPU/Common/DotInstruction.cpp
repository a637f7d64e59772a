//===- DotInstruction.cpp - a kernel form's multiply-accumulate -----------===//

#include "Prom/Codegen/CPU/Common/DotInstruction.h"

#include "Prom/Codegen/CPU/X86/X86DotInstructions.h"

#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using namespace mlir::prom;

const DotInstruction &mlir::prom::getDotInstruction(KernelForm form) {
  if (const DotInstruction *x86 = getX86DotInstruction(form))
    return *x86;
  llvm_unreachable("a kernel form no target family defines");
}
