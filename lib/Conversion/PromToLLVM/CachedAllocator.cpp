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

/// Freed blocks kept per module; a block's capacity sits in the 16 bytes
/// before it (malloc's alignment is kept).
constexpr int64_t kSlots = 256;
constexpr int64_t kHeaderBytes = 16;

/// The module's cache: slot pointers and capacities, a spin lock, and a
/// scratch word that absorbs the stores of "no slot" cases, so that the
/// scans need no branches.
struct Cache {
  LLVM::GlobalOp slots, capacities, lock, scratch;
  LLVM::LLVMFuncOp malloc, free;
};

struct Emitter {
  OpBuilder &b;
  Location loc;
  const Cache &cache;

  Type ptr() { return LLVM::LLVMPointerType::get(b.getContext()); }
  Value i64(int64_t v) {
    return LLVM::ConstantOp::create(b, loc, b.getI64Type(), v);
  }
  Value address(LLVM::GlobalOp global) {
    return LLVM::AddressOfOp::create(b, loc, global);
  }
  /// &global[i] of an array global.
  Value element(LLVM::GlobalOp global, int64_t i) {
    return LLVM::GEPOp::create(b, loc, ptr(), global.getType(), address(global),
                               ArrayRef<LLVM::GEPArg>{0, int32_t(i)});
  }
  Value byteOffset(Value base, int64_t bytes) {
    return LLVM::GEPOp::create(b, loc, ptr(), b.getI8Type(), base,
                               ArrayRef<LLVM::GEPArg>{int32_t(bytes)});
  }
  Value icmp(LLVM::ICmpPredicate p, Value x, Value y) {
    return LLVM::ICmpOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return LLVM::SelectOp::create(b, loc, c, x, y);
  }
  Value null() { return LLVM::ZeroOp::create(b, loc, ptr()); }

  /// Spins on the lock from `entry`; returns the block holding it.
  Block *lock(Block *entry) {
    Region *region = entry->getParent();
    Block *spin = b.createBlock(region, region->end());
    Block *locked = b.createBlock(region, region->end());
    b.setInsertionPointToEnd(entry);
    LLVM::BrOp::create(b, loc, spin);
    b.setInsertionPointToEnd(spin);
    Value one = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 1);
    Value old = LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::xchg,
                                          address(cache.lock), one,
                                          LLVM::AtomicOrdering::acquire);
    Value zero = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 0);
    LLVM::CondBrOp::create(b, loc, icmp(LLVM::ICmpPredicate::ne, old, zero),
                           spin, locked);
    b.setInsertionPointToEnd(locked);
    return locked;
  }
  void unlock() {
    Value zero = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 0);
    LLVM::StoreOp::create(b, loc, zero, address(cache.lock), /*alignment=*/4,
                          false, false, false, LLVM::AtomicOrdering::release);
  }
};

/// `size` rounded up to its size class: a multiple of 2^(bits - 3) for a
/// size of `bits` significant bits, i.e. four classes per power of two
/// (at most 25% more than asked for).
Value sizeClass(Emitter &e, Value size) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  Value leading = LLVM::CountLeadingZerosOp::create(
      b, loc, b.getI64Type(), size, /*is_zero_poison=*/false);
  Value bits = LLVM::SubOp::create(b, loc, e.i64(64), leading);
  Value shift = e.select(e.icmp(LLVM::ICmpPredicate::ugt, bits, e.i64(3)),
                         LLVM::SubOp::create(b, loc, bits, e.i64(3)), e.i64(0));
  Value granule = LLVM::ShlOp::create(b, loc, e.i64(1), shift);
  Value up = LLVM::AddOp::create(
      b, loc, size, LLVM::SubOp::create(b, loc, granule, e.i64(1)));
  return LLVM::AndOp::create(b, loc, up,
                             LLVM::SubOp::create(b, loc, e.i64(0), granule));
}

/// alloc(size): a cached block of size's class, else malloc(class +
/// header). Exact classes make a model's calls converge: each call asks for
/// the same classes, which the previous call's frees left in the cache.
void defineAlloc(OpBuilder &b, LLVM::LLVMFuncOp fn, const Cache &cache) {
  Location loc = fn.getLoc();
  Block *entry = fn.addEntryBlock(b);
  Emitter e{b, loc, cache};
  b.setInsertionPointToStart(entry);
  Value size = sizeClass(e, entry->getArgument(0));
  Block *locked = e.lock(entry);
  Value found = e.null(), target = e.address(cache.scratch);
  for (int64_t i = 0; i < kSlots; ++i) {
    Value slot = e.element(cache.slots, i);
    Value block = LLVM::LoadOp::create(b, loc, e.ptr(), slot, 8);
    Value capacity = LLVM::LoadOp::create(b, loc, b.getI64Type(),
                                          e.element(cache.capacities, i), 8);
    Value fits = e.icmp(LLVM::ICmpPredicate::eq, capacity, size);
    Value available = LLVM::AndOp::create(
        b, loc, e.icmp(LLVM::ICmpPredicate::ne, block, e.null()),
        e.icmp(LLVM::ICmpPredicate::eq, found, e.null()));
    Value take = LLVM::AndOp::create(b, loc, fits, available);
    found = e.select(take, block, found);
    target = e.select(take, slot, target);
  }
  LLVM::StoreOp::create(b, loc, e.null(), target, 8);
  e.unlock();

  Region &body = fn.getBody();
  Block *miss = b.createBlock(&body, body.end());
  Block *fill = b.createBlock(&body, body.end());
  Block *done = b.createBlock(&body, body.end(), {e.ptr()}, {loc});
  b.setInsertionPointToEnd(locked);
  LLVM::CondBrOp::create(b, loc,
                         e.icmp(LLVM::ICmpPredicate::ne, found, e.null()), done,
                         ValueRange{found}, miss, ValueRange{});
  b.setInsertionPointToEnd(miss);
  Value raw =
      LLVM::CallOp::create(
          b, loc, cache.malloc,
          ValueRange{LLVM::AddOp::create(b, loc, size, e.i64(kHeaderBytes))})
          .getResult();
  LLVM::CondBrOp::create(b, loc, e.icmp(LLVM::ICmpPredicate::eq, raw, e.null()),
                         done, ValueRange{raw}, fill, ValueRange{});
  b.setInsertionPointToEnd(fill);
  LLVM::StoreOp::create(b, loc, size, raw, 8);
  LLVM::BrOp::create(b, loc, ValueRange{e.byteOffset(raw, kHeaderBytes)}, done);
  b.setInsertionPointToEnd(done);
  LLVM::ReturnOp::create(b, loc, done->getArgument(0));
}

/// free(p): into the first empty slot, else back to malloc.
void defineFree(OpBuilder &b, LLVM::LLVMFuncOp fn, const Cache &cache) {
  Location loc = fn.getLoc();
  Block *entry = fn.addEntryBlock(b);
  Emitter e{b, loc, cache};
  Value p = entry->getArgument(0);
  Region &body = fn.getBody();
  Block *start = b.createBlock(&body, body.end());
  Block *locked = e.lock(start);
  Value scratch = e.address(cache.scratch);
  Value target = scratch, capacityTarget = e.byteOffset(scratch, 8);
  for (int64_t i = 0; i < kSlots; ++i) {
    Value slot = e.element(cache.slots, i);
    Value block = LLVM::LoadOp::create(b, loc, e.ptr(), slot, 8);
    Value take = LLVM::AndOp::create(
        b, loc, e.icmp(LLVM::ICmpPredicate::eq, block, e.null()),
        e.icmp(LLVM::ICmpPredicate::eq, target, scratch));
    target = e.select(take, slot, target);
    capacityTarget =
        e.select(take, e.element(cache.capacities, i), capacityTarget);
  }
  Value header = e.byteOffset(p, -kHeaderBytes);
  Value capacity = LLVM::LoadOp::create(b, loc, b.getI64Type(), header, 8);
  LLVM::StoreOp::create(b, loc, p, target, 8);
  LLVM::StoreOp::create(b, loc, capacity, capacityTarget, 8);
  e.unlock();
  Block *release = b.createBlock(&body, body.end());
  Block *done = b.createBlock(&body, body.end());
  b.setInsertionPointToEnd(locked);
  LLVM::CondBrOp::create(
      b, loc, e.icmp(LLVM::ICmpPredicate::eq, target, scratch), release, done);
  b.setInsertionPointToEnd(release);
  LLVM::CallOp::create(b, loc, cache.free, ValueRange{header});
  LLVM::BrOp::create(b, loc, done);
  b.setInsertionPointToEnd(entry);
  LLVM::CondBrOp::create(b, loc, e.icmp(LLVM::ICmpPredicate::eq, p, e.null()),
                         done, start);
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
    cache.slots =
        global("__prom_alloc_slots", LLVM::LLVMArrayType::get(ptr, kSlots));
    cache.capacities = global("__prom_alloc_capacities",
                              LLVM::LLVMArrayType::get(i64, kSlots));
    cache.lock = global("__prom_alloc_lock", b.getI32Type());
    cache.scratch =
        global("__prom_alloc_scratch", LLVM::LLVMArrayType::get(i64, 2));
    cache.malloc = *LLVM::lookupOrCreateMallocFn(b, module, i64);
    cache.free = *LLVM::lookupOrCreateFreeFn(b, module);
    defineAlloc(b, alloc, cache);
    defineFree(b, free, cache);
  }
};

} // namespace
