//===- CachedAllocator.cpp - buffers kept across calls --------------------===//
//
// Defines the generic allocation functions that the memref lowering calls
// (use-generic-functions) with a small cache of freed blocks, so that a
// model called again and again reuses its activation buffers instead of
// having malloc return them to the OS and fault their pages in anew.
//
//===----------------------------------------------------------------------===//

#include "Prom/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMDEFINECACHEDALLOCATOR
#include "Prom/Conversion/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

/// Size classes: four per power of two (see sizeClass), indexed by
/// 4 * bits + top three bits, so 4 * 64 + 8 indices cover every i64 size.
constexpr int64_t kClasses = 4 * 64 + 8;
/// Freed blocks kept per class. A class never holds more blocks than were
/// live at once, so this only bounds what a peak leaves behind.
constexpr int64_t kBlocksPerClass = 128;
/// A block's rounded size sits in the 16 bytes before it (malloc's
/// alignment is kept).
constexpr int64_t kHeaderBytes = 16;
/// Requests below this are rounded up to it, so every class has at least
/// four significant bits.
constexpr int64_t kMinBytes = 16;

/// The module's cache: per class a stack of freed blocks and its height,
/// behind one spin lock.
struct Cache {
  LLVM::GlobalOp blocks, heights, lock;
  LLVM::LLVMFuncOp malloc, free;
};

struct Emitter {
  OpBuilder &b;
  Location loc;
  const Cache &cache;

  Type ptr() { return LLVM::LLVMPointerType::get(b.getContext()); }
  Type i64() { return b.getI64Type(); }
  Value i64(int64_t v) { return LLVM::ConstantOp::create(b, loc, i64(), v); }
  Value add(Value x, Value y) { return LLVM::AddOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return LLVM::SubOp::create(b, loc, x, y); }
  Value icmp(LLVM::ICmpPredicate p, Value x, Value y) {
    return LLVM::ICmpOp::create(b, loc, p, x, y);
  }
  Value load(Type type, Value address) {
    return LLVM::LoadOp::create(b, loc, type, address, /*alignment=*/8);
  }
  void store(Value value, Value address) {
    LLVM::StoreOp::create(b, loc, value, address, /*alignment=*/8);
  }
  /// &global[i] of an array global.
  Value element(LLVM::GlobalOp global, Value i) {
    return LLVM::GEPOp::create(b, loc, ptr(), global.getType(),
                               LLVM::AddressOfOp::create(b, loc, global),
                               ArrayRef<LLVM::GEPArg>{0, i});
  }
  /// &blocks[classIndex][position].
  Value blockSlot(Value classIndex, Value position) {
    Value flat = LLVM::MulOp::create(b, loc, classIndex, i64(kBlocksPerClass));
    return element(cache.blocks, add(flat, position));
  }
  Value byteOffset(Value base, int64_t bytes) {
    return LLVM::GEPOp::create(b, loc, ptr(), b.getI8Type(), base,
                               ArrayRef<LLVM::GEPArg>{int32_t(bytes)});
  }

  /// Spins on the lock at the end of the current block; continues in (and
  /// returns) a new block holding it.
  Block *lock() {
    Block *entry = b.getInsertionBlock();
    Region *region = entry->getParent();
    Block *spin = b.createBlock(region, region->end());
    Block *locked = b.createBlock(region, region->end());
    b.setInsertionPointToEnd(entry);
    LLVM::BrOp::create(b, loc, spin);
    b.setInsertionPointToEnd(spin);
    Value one = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 1);
    Value old =
        LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::xchg,
                                  LLVM::AddressOfOp::create(b, loc, cache.lock),
                                  one, LLVM::AtomicOrdering::acquire);
    Value zero = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 0);
    LLVM::CondBrOp::create(b, loc, icmp(LLVM::ICmpPredicate::ne, old, zero),
                           spin, locked);
    b.setInsertionPointToEnd(locked);
    return locked;
  }
  void unlock() {
    Value zero = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 0);
    LLVM::StoreOp::create(
        b, loc, zero, LLVM::AddressOfOp::create(b, loc, cache.lock),
        /*alignment=*/4, false, false, false, LLVM::AtomicOrdering::release);
  }
  /// Ends the current block with `condition ? then : otherwise`, and
  /// returns the two new blocks.
  std::pair<Block *, Block *> branch(Value condition) {
    Region *region = b.getInsertionBlock()->getParent();
    Block *from = b.getInsertionBlock();
    Block *then = b.createBlock(region, region->end());
    Block *otherwise = b.createBlock(region, region->end());
    b.setInsertionPointToEnd(from);
    LLVM::CondBrOp::create(b, loc, condition, then, otherwise);
    return {then, otherwise};
  }
};

/// A request's size class: the size (at least kMinBytes) rounded up to a
/// multiple of 2^(bits - 3) for a size of `bits` significant bits, i.e.
/// four classes per power of two (at most 25% more than asked for), and
/// the class's index, 4 * bits + the rounded size's top three bits.
std::pair<Value, Value> sizeClass(Emitter &e, Value size) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  Value atLeast = LLVM::UMaxOp::create(b, loc, size, e.i64(kMinBytes));
  auto significantBits = [&](Value v) {
    return e.sub(e.i64(64), LLVM::CountLeadingZerosOp::create(
                                b, loc, e.i64(), v, /*is_zero_poison=*/false));
  };
  Value shift = e.sub(significantBits(atLeast), e.i64(3));
  Value granule = LLVM::ShlOp::create(b, loc, e.i64(1), shift);
  Value rounded =
      LLVM::AndOp::create(b, loc, e.add(atLeast, e.sub(granule, e.i64(1))),
                          e.sub(e.i64(0), granule));
  // Rounding up may carry into a new bit: take the rounded size's own bits.
  Value bits = significantBits(rounded);
  Value top = LLVM::LShrOp::create(b, loc, rounded, e.sub(bits, e.i64(3)));
  Value index = e.add(LLVM::ShlOp::create(b, loc, bits, e.i64(2)), top);
  return {rounded, index};
}

/// alloc(size): the top block of size's class if the cache holds one, else
/// malloc(class + header). Exact classes make a model's calls converge: each
/// call asks for the same classes, which the previous call's frees left in
/// the cache.
void defineAlloc(OpBuilder &b, LLVM::LLVMFuncOp fn, const Cache &cache) {
  Location loc = fn.getLoc();
  Region &body = fn.getBody();
  b.setInsertionPointToStart(fn.addEntryBlock(b));
  Emitter e{b, loc, cache};
  auto [size, index] = sizeClass(e, fn.getArgument(0));
  e.lock();
  Value heightSlot = e.element(cache.heights, index);
  Value height = e.load(e.i64(), heightSlot);
  auto [hit, miss] =
      e.branch(e.icmp(LLVM::ICmpPredicate::ne, height, e.i64(0)));
  Block *done = b.createBlock(&body, body.end(), {e.ptr()}, {loc});

  b.setInsertionPointToEnd(hit);
  Value top = e.sub(height, e.i64(1));
  Value block = e.load(e.ptr(), e.blockSlot(index, top));
  e.store(top, heightSlot);
  e.unlock();
  LLVM::BrOp::create(b, loc, ValueRange{block}, done);

  b.setInsertionPointToEnd(miss);
  e.unlock();
  Value raw = LLVM::CallOp::create(b, loc, cache.malloc,
                                   ValueRange{e.add(size, e.i64(kHeaderBytes))})
                  .getResult();
  auto [failed, fill] = e.branch(e.icmp(LLVM::ICmpPredicate::eq, raw,
                                        LLVM::ZeroOp::create(b, loc, e.ptr())));
  b.setInsertionPointToEnd(failed);
  LLVM::BrOp::create(b, loc, ValueRange{raw}, done);
  b.setInsertionPointToEnd(fill);
  e.store(size, raw);
  LLVM::BrOp::create(b, loc, ValueRange{e.byteOffset(raw, kHeaderBytes)}, done);

  b.setInsertionPointToEnd(done);
  LLVM::ReturnOp::create(b, loc, done->getArgument(0));
}

/// free(p): onto its class's stack, else (stack full) back to malloc.
void defineFree(OpBuilder &b, LLVM::LLVMFuncOp fn, const Cache &cache) {
  Location loc = fn.getLoc();
  Region &body = fn.getBody();
  b.setInsertionPointToStart(fn.addEntryBlock(b));
  Emitter e{b, loc, cache};
  Value p = fn.getArgument(0);
  auto [null, start] = e.branch(e.icmp(LLVM::ICmpPredicate::eq, p,
                                       LLVM::ZeroOp::create(b, loc, e.ptr())));
  Block *done = b.createBlock(&body, body.end());
  b.setInsertionPointToEnd(null);
  LLVM::BrOp::create(b, loc, done);

  b.setInsertionPointToEnd(start);
  Value header = e.byteOffset(p, -kHeaderBytes);
  Value index = sizeClass(e, e.load(e.i64(), header)).second;
  e.lock();
  Value heightSlot = e.element(cache.heights, index);
  Value height = e.load(e.i64(), heightSlot);
  auto [keep, release] = e.branch(
      e.icmp(LLVM::ICmpPredicate::ult, height, e.i64(kBlocksPerClass)));
  b.setInsertionPointToEnd(keep);
  e.store(p, e.blockSlot(index, height));
  e.store(e.add(height, e.i64(1)), heightSlot);
  e.unlock();
  LLVM::BrOp::create(b, loc, done);
  b.setInsertionPointToEnd(release);
  e.unlock();
  LLVM::CallOp::create(b, loc, cache.free, ValueRange{header});
  LLVM::BrOp::create(b, loc, done);

  b.setInsertionPointToEnd(done);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
}

struct DefineCachedAllocator
    : prom::impl::PromDefineCachedAllocatorBase<DefineCachedAllocator> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto alloc =
        module.lookupSymbol<LLVM::LLVMFuncOp>("_mlir_memref_to_llvm_alloc");
    auto free =
        module.lookupSymbol<LLVM::LLVMFuncOp>("_mlir_memref_to_llvm_free");
    if (auto aligned = module.lookupSymbol<LLVM::LLVMFuncOp>(
            "_mlir_memref_to_llvm_aligned_alloc");
        aligned && aligned.isExternal()) {
      aligned.emitError() << "prom-define-cached-allocator: aligned "
                             "allocation functions are not supported";
      return signalPassFailure();
    }
    if ((!alloc || !alloc.isExternal()) && (!free || !free.isExternal()))
      return; // nothing allocates, or defined already

    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Type i64 = b.getI64Type();
    if (!alloc)
      alloc = *LLVM::lookupOrCreateGenericAllocFn(b, module, i64);
    if (!free)
      free = *LLVM::lookupOrCreateGenericFreeFn(b, module);
    if (!alloc.isExternal() || !free.isExternal()) {
      module.emitError() << "prom-define-cached-allocator: only one of the "
                            "generic allocation functions is defined";
      return signalPassFailure();
    }
    Location loc = module.getLoc();
    MLIRContext *ctx = &getContext();
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    auto global = [&](StringRef name, Type type) {
      return LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/false,
                                    LLVM::Linkage::Internal, name,
                                    LLVM::ZeroAttr::get(ctx), /*alignment=*/8);
    };
    Cache cache;
    cache.blocks =
        global("__prom_alloc_blocks",
               LLVM::LLVMArrayType::get(ptr, kClasses * kBlocksPerClass));
    cache.heights =
        global("__prom_alloc_heights", LLVM::LLVMArrayType::get(i64, kClasses));
    cache.lock = global("__prom_alloc_lock", b.getI32Type());
    cache.malloc = *LLVM::lookupOrCreateMallocFn(b, module, i64);
    cache.free = *LLVM::lookupOrCreateFreeFn(b, module);
    defineAlloc(b, alloc, cache);
    defineFree(b, free, cache);
    // Small enough now to be inlined into each of a model's hundreds of
    // allocation sites, which only grows the (one, huge) model function:
    // HASTE's MobileNetV2 took 65 s instead of 39 s to compile.
    alloc.setNoInline(true);
    free.setNoInline(true);
  }
};

} // namespace
