//===- Registration.h - register prom with an MLIR context ------*- C++ -*-===//
//
// Entry points for tools and other compilers that embed prom:
// `registerPromDialects` adds the prom dialect (and the dialects its passes
// create) to a registry; `registerPromPasses` makes every prom-* pass
// available to pass pipelines and command lines.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_REGISTRATION_REGISTRATION_H
#define PROM_REGISTRATION_REGISTRATION_H

namespace mlir {
class DialectRegistry;
namespace prom {

void registerPromDialects(DialectRegistry &registry);
void registerPromPasses();

} // namespace prom
} // namespace mlir

#endif // PROM_REGISTRATION_REGISTRATION_H
