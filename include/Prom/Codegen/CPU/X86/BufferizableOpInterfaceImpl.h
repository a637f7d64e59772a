//===- BufferizableOpInterfaceImpl.h - bufferizing x86 ops -----*- C++ -*-===//

#ifndef PROM_CODEGEN_CPU_X86_BUFFERIZABLEOPINTERFACEIMPL_H
#define PROM_CODEGEN_CPU_X86_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
namespace prom {
/// Attaches the bufferization model of prom_x86.amx_matmul.
void registerX86BufferizableOpInterfaceExternalModels(
    DialectRegistry &registry);
} // namespace prom
} // namespace mlir

#endif // PROM_CODEGEN_CPU_X86_BUFFERIZABLEOPINTERFACEIMPL_H
