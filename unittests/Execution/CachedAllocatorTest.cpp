//===- CachedAllocatorTest.cpp - prom-define-cached-allocator at run time -===//
//
// A compiled function that allocates buffers of a size given at run time,
// called from several threads at once with sizes that make the cache hit,
// miss and overflow: every result must be right, and every result buffer
// goes back through the module's own free (JitModule). Run under a memory
// checker, a block handed out twice or freed by the wrong allocator shows.
//
//===----------------------------------------------------------------------===//

#include "Prom/Execution/JitModule.h"
#include "Prom/Registration/Registration.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

using namespace mlir;
using namespace mlir::prom;

namespace {

// y = (x + 1) * 2 through an intermediate buffer of the same dynamic size.
const char *kSource = R"mlir(
#map = affine_map<(d0) -> (d0)>
func.func @twice_plus(%x: tensor<?xi32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi32>
  %one = arith.constant 1 : i32
  %two = arith.constant 2 : i32
  %e0 = tensor.empty(%n) : tensor<?xi32>
  %a = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi32>) outs(%e0 : tensor<?xi32>) {
  ^bb0(%v: i32, %o: i32):
    %s = arith.addi %v, %one : i32
    linalg.yield %s : i32
  } -> tensor<?xi32>
  %e1 = tensor.empty(%n) : tensor<?xi32>
  %b = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<?xi32>) outs(%e1 : tensor<?xi32>) {
  ^bb0(%v: i32, %o: i32):
    %m = arith.muli %v, %two : i32
    linalg.yield %m : i32
  } -> tensor<?xi32>
  return %b : tensor<?xi32>
}
)mlir";

TEST(CachedAllocator, ThreadsAndSizes) {
  DialectRegistry registry;
  registry.insert<arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, tensor::TensorDialect>();
  registerPromDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kSource, &context);
  ASSERT_TRUE(module);
  auto jit = JitModule::compile(*module);
  ASSERT_TRUE(static_cast<bool>(jit)) << llvm::toString(jit.takeError());

  std::atomic<int> wrong{0};
  auto worker = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (int call = 0; call < 300; ++call) {
      // Mostly a few repeating sizes (cache hits), sometimes anything up
      // to 256 KiB (misses; more distinct blocks than the cache holds).
      int64_t n = rng() % 4 ? int64_t(1000 * (1 + rng() % 3))
                            : int64_t(1 + rng() % 65536);
      std::vector<int32_t> x(n);
      for (int32_t &v : x)
        v = int32_t(rng() % 100000);
      auto results = (*jit)->call(
          "twice_plus",
          {HostTensor::from<int32_t>(ElementKind::I32, {n}, x)});
      if (!results) {
        llvm::consumeError(results.takeError());
        ++wrong;
        continue;
      }
      llvm::ArrayRef<int32_t> y = results->front().as<int32_t>();
      if (int64_t(y.size()) != n)
        ++wrong;
      else
        for (int64_t i = 0; i < n; ++i)
          if (y[i] != (x[i] + 1) * 2) {
            ++wrong;
            break;
          }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t)
    threads.emplace_back(worker, 17 + t);
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(wrong.load(), 0);
}

} // namespace
