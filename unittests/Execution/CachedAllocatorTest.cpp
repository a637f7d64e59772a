//===- CachedAllocatorTest.cpp - prom-define-cached-allocator at run time -===//
//
// A compiled function that allocates buffers of a size given at run time,
// called from several threads at once with sizes that make the cache hit
// and miss: every result must be right, and every result buffer goes back
// through the module's own free (JitModule). Run under a memory checker, a
// block handed out twice or freed by the wrong allocator shows. And the
// module's alloc/free called directly: size classes, per-class stacks and
// what happens when a class's stack is full.
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
#include <cstring>
#include <random>
#include <set>
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

std::unique_ptr<JitModule> compileSource(MLIRContext &context) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kSource, &context);
  if (!module)
    return nullptr;
  auto jit = JitModule::compile(*module);
  if (!jit) {
    ADD_FAILURE() << llvm::toString(jit.takeError());
    return nullptr;
  }
  return std::move(*jit);
}

DialectRegistry registry() {
  DialectRegistry registry;
  registry.insert<arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, tensor::TensorDialect>();
  registerPromDialects(registry);
  return registry;
}

TEST(CachedAllocator, ThreadsAndSizes) {
  MLIRContext context(registry());
  std::unique_ptr<JitModule> jit = compileSource(context);
  ASSERT_TRUE(jit);

  std::atomic<int> wrong{0};
  auto worker = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (int call = 0; call < 300; ++call) {
      // Mostly a few repeating sizes (cache hits), sometimes anything up
      // to 256 KiB (misses).
      int64_t n = rng() % 4 ? int64_t(1000 * (1 + rng() % 3))
                            : int64_t(1 + rng() % 65536);
      std::vector<int32_t> x(n);
      for (int32_t &v : x)
        v = int32_t(rng() % 100000);
      auto results = jit->call(
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

// The module's allocator itself, one thread: a block of a class comes back
// for any size of that class, last freed first; another class never gets
// it; every block holds its whole size; a class keeps at most 128 freed
// blocks and the rest go back to malloc (so more than 128 frees in a row
// still leave the allocator working, and never hand a block out twice).
TEST(CachedAllocator, ClassesStacksAndOverflow) {
  MLIRContext context(registry());
  std::unique_ptr<JitModule> jit = compileSource(context);
  ASSERT_TRUE(jit);
  auto allocSym = jit->lookup("_mlir_memref_to_llvm_alloc");
  auto freeSym = jit->lookup("_mlir_memref_to_llvm_free");
  ASSERT_TRUE(allocSym && freeSym);
  auto alloc = reinterpret_cast<void *(*)(int64_t)>(*allocSym);
  auto release = reinterpret_cast<void (*)(void *)>(*freeSym);

  // 1000 and 1024 share a class (multiples of 128 from 513 to 1024); 1025
  // is in the next one.
  void *a = alloc(1000);
  ASSERT_NE(a, nullptr);
  std::memset(a, 0xab, 1000);
  release(a);
  void *b = alloc(1025);
  EXPECT_NE(b, a);
  void *c = alloc(1024);
  EXPECT_EQ(c, a);
  std::memset(c, 0xcd, 1024);
  release(b);
  release(c);
  release(nullptr);

  // Last freed, first handed out (513 to 640: one class).
  void *d = alloc(600), *e = alloc(600);
  EXPECT_NE(d, e);
  release(d);
  release(e);
  EXPECT_EQ(alloc(640), e);
  EXPECT_EQ(alloc(513), d);
  release(d);
  release(e);

  // 300 live blocks of one class, freed in order: the first 128 stay (the
  // stack is then full), the other 172 go back to malloc.
  constexpr int kLive = 300;
  std::vector<void *> blocks;
  for (int i = 0; i < kLive; ++i) {
    blocks.push_back(alloc(40000));
    ASSERT_NE(blocks.back(), nullptr);
    std::memset(blocks.back(), i & 0xff, 40000);
  }
  std::set<void *> distinct(blocks.begin(), blocks.end());
  EXPECT_EQ(distinct.size(), size_t(kLive));
  for (int i = 0; i < kLive; ++i)
    EXPECT_EQ(static_cast<unsigned char *>(blocks[i])[39999], i & 0xff);
  for (void *p : blocks)
    release(p);
  // The cache hands back exactly those 128, newest first.
  std::vector<void *> again;
  for (int i = 0; i < kLive; ++i)
    again.push_back(alloc(40000));
  for (int i = 0; i < 128; ++i)
    EXPECT_EQ(again[i], blocks[127 - i]) << i;
  std::set<void *> distinctAgain(again.begin(), again.end());
  EXPECT_EQ(distinctAgain.size(), size_t(kLive));
  for (void *p : again)
    release(p);
}

} // namespace
