//===- Passes.td - prom conversion passes -------------------*- tablegen -*-===//

#ifndef PROM_CONVERSION_PASSES_TD
#define PROM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPromToLinalg : Pass<"convert-prom-to-linalg"> {
  let summary = "Reference lowering of every prom op to linalg, arith and tensor";
  let description = [{
    The simple, obviously correct lowering that defines what prom ops
    compute: each op becomes one or two `linalg.generic` ops (a reduction
    into an i32 accumulator, then the fixed-point requantization) that
    follow docs/numerics.md step by step. Integer constants of the
    requantization come from `Prom/Utils/FixedPoint.h`. Every optimized
    lowering is tested against this one.

    Window ops (convolutions, pooling) and fully connected layers need
    static shapes; elementwise ops also lower with dynamic shapes. The HASTE
    ops (`haste_buckets`, `merge_channels`), whose structure depends on data,
    become scf loops that keep the summation order they define. An op that
    cannot be lowered is reported with its name and location, and the pass
    fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PromDefineCachedAllocator : Pass<"prom-define-cached-allocator",
                                     "::mlir::ModuleOp"> {
  let summary = "Define the memref lowering's allocation functions with a "
                "cache of freed blocks";
  let description = [{
    With `finalize-memref-to-llvm{use-generic-functions=1}` the lowered code
    calls `_mlir_memref_to_llvm_alloc(size)` and
    `_mlir_memref_to_llvm_free(ptr)`. This pass defines both in the module:
    every size (at least 16 bytes) is rounded up to its class (a multiple of
    2^(bits - 3) for a size of `bits` significant bits: four classes per
    power of two, at most 25% more). Each class has a stack of up to 128
    freed blocks (module-wide, behind one spin lock). An allocation takes
    its class's top block, else calls `malloc`; a free pushes the block
    onto its class's stack, or calls `free` when that stack is full. Each
    block keeps its rounded size in a 16-byte header (malloc's alignment is
    kept). Both are O(1), and `noinline`: inlined into each of a model's
    hundreds of allocation sites they made HASTE's MobileNetV2 compile in
    65 s instead of 28 s and run slower.

    Why: a model allocates and frees its activation buffers on every call.
    glibc returns large freed blocks to the OS, so every call faulted its
    buffers' pages in again (about 40% of MobileNetV2's time); the cache
    keeps them. Exact classes make repeated calls converge: each call asks
    for the classes the previous call freed, so no call after the first
    reaches `malloc` unless more than 128 blocks of one class are live at
    once. A class never holds more freed blocks than were live at once, so
    what stays allocated between calls is bounded by the peak of one call.
    (A first cache of 64 slots taking any block of 1 to 1.5 times the size
    let small requests take the blocks larger ones needed; the next, 256
    slots scanned in full on every call, overflowed on HASTE's 580 buffers
    a call: MobileNetV2 with HASTE spent 85% of its time in page faults,
    221 ms a call against 29 ms with per-class stacks.)

    Buffers the caller receives (function results) must be released with
    the module's `_mlir_memref_to_llvm_free`, not with `free`: JitModule and
    promc's entry point do.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // PROM_CONVERSION_PASSES_TD
