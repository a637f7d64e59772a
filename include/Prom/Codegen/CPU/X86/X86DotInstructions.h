//===- X86DotInstructions.h - x86's multiply-accumulate forms --*- C++ -*-===//

#ifndef PROM_CODEGEN_CPU_X86_X86DOTINSTRUCTIONS_H
#define PROM_CODEGEN_CPU_X86_X86DOTINSTRUCTIONS_H

#include "Prom/Codegen/CPU/Common/DotInstruction.h"

namespace mlir {
namespace prom {

/// The instruction of an x86 form (prom_x86.dot), or null for another
/// target's form.
const DotInstruction *getX86DotInstruction(KernelForm form);

} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_X86_X86DOTINSTRUCTIONS_H
