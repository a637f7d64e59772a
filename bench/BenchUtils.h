//===- BenchUtils.h - compile and time IR for prom's benchmarks -*- C++ -*-===//
//
// What every bench/ program does the same way: compile a module (after the
// passes under study) for a CPU, and take the median time of repeated calls.
// Failures print the reason and exit 1: a benchmark has no way to go on.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_BENCH_BENCHUTILS_H
#define PROM_BENCH_BENCHUTILS_H

#include "MedianTime.h"

#include "Prom/Execution/JitModule.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <vector>

namespace prom_bench {

/// Parses `source`, runs the passes `addPasses` adds (if any) and compiles
/// the result at -O3 for `cpu` ("" = this host) with prom's kernels for
/// `kernelIsa` ("" = the CPU's).
inline std::unique_ptr<mlir::prom::JitModule>
compile(mlir::MLIRContext &context, const std::string &source,
        llvm::function_ref<void(mlir::PassManager &)> addPasses = nullptr,
        llvm::StringRef cpu = "", llvm::StringRef kernelIsa = "") {
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  if (!module)
    std::exit(1);
  if (addPasses) {
    mlir::PassManager pm(&context);
    addPasses(pm);
    if (mlir::failed(pm.run(*module)))
      std::exit(1);
  }
  auto jit =
      mlir::prom::JitModule::compile(*module, /*optLevel=*/3, cpu, kernelIsa);
  if (!jit) {
    llvm::errs() << llvm::toString(jit.takeError()) << "\n";
    std::exit(1);
  }
  return std::move(*jit);
}

/// Median time of `fn` in microseconds: at least 5 calls, then more until
/// `budgetMicros` have been spent or `maxCalls` made. Each call passes the
/// inputs as they are and frees the results without copying them.
inline double medianMicros(mlir::prom::JitModule &jit, llvm::StringRef fn,
                           llvm::ArrayRef<mlir::prom::HostTensor> inputs,
                           double budgetMicros, size_t maxCalls) {
  return medianMicrosOf(
      [&] {
        auto result = jit.call(fn, inputs, /*keepResults=*/false);
        if (!result) {
          llvm::errs() << llvm::toString(result.takeError()) << "\n";
          std::exit(1);
        }
      },
      budgetMicros, maxCalls);
}

} // namespace prom_bench

#endif // PROM_BENCH_BENCHUTILS_H
