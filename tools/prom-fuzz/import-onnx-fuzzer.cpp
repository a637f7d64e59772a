//===- import-onnx-fuzzer.cpp - fuzz target: bytes to the reference code --===//
//
// Bytes -> ONNX import -> verifier -> prom-to-llvm with the reference
// lowering. Rejecting an input is fine (a diagnostic); a crash, a sanitizer
// report, or an imported module that does not verify is a finding.
//
//===----------------------------------------------------------------------===//

#include "Prom/Import/Onnx/OnnxImporter.h"
#include "Prom/Pipelines/Pipelines.h"
#include "Prom/Registration/Registration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry;
    prom::registerPromDialects(*r);
    prom::registerPromToLLVMDependencies(*r);
    return r;
  }();
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module = prom::importOnnxModel(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      &context, {});
  if (!module)
    return 0;
  if (failed(verify(*module))) {
    llvm::errs() << "an imported module does not verify\n";
    std::abort();
  }
  PassManager pm(&context);
  prom::PromToLLVMPipelineOptions options; // kernel-isa none: the reference
  prom::buildPromToLLVMPipeline(pm, options);
  (void)pm.run(*module);
  return 0;
}
