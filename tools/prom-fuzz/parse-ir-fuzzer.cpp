//===- parse-ir-fuzzer.cpp - fuzz target: text round trip -----------------===//
//
// Text -> parse (prom and every upstream dialect) -> verify -> print ->
// parse again -> print. Rejecting an input is fine; a crash, a sanitizer
// report, or a verified module whose printed form does not parse back to
// the same text is a finding.
//
//===----------------------------------------------------------------------===//

#include "Prom/Registration/Registration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>

using namespace mlir;

static std::string print(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, OpPrintingFlags().assumeVerified());
  return text;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry;
    registerAllDialects(*r);
    prom::registerPromDialects(*r);
    return r;
  }();
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), config);
  if (!module || failed(verify(*module)))
    return 0;
  std::string first = print(*module);
  OwningOpRef<ModuleOp> again = parseSourceString<ModuleOp>(first, config);
  if (!again || failed(verify(*again)) || print(*again) != first) {
    llvm::errs() << "the printed form does not round-trip:\n" << first;
    std::abort();
  }
  return 0;
}
