//===- RequestAmxState.cpp - AMX permission and tile release --------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMREQUESTAMXSTATE
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kRequest = "prom_amx_request";
constexpr llvm::StringLiteral kGranted = "prom_amx_granted";

// Linux x86-64: arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA).
constexpr int64_t kSysArchPrctl = 158;
constexpr int64_t kArchReqXcompPerm = 0x1023;
constexpr int64_t kXfeatureXtiledata = 18;

/// `i32 prom_amx_request()`: 0 once the process may use AMX tile data, else
/// -1. The grant is process-wide and asking again is harmless, so
/// concurrent first calls need no lock: a flag only skips the system call.
func::FuncOp defineRequest(ModuleOp module) {
  MLIRContext *context = module.getContext();
  ImplicitLocOpBuilder b =
      ImplicitLocOpBuilder::atBlockEnd(module.getLoc(), module.getBody());
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  auto ptr = LLVM::LLVMPointerType::get(context);
  LLVM::GlobalOp::create(b, i32, /*isConstant=*/false, LLVM::Linkage::Internal,
                         kGranted, b.getI32IntegerAttr(0));
  auto syscallType = LLVM::LLVMFunctionType::get(i64, {i64}, /*isVarArg=*/true);
  if (!module.lookupSymbol("syscall"))
    LLVM::LLVMFuncOp::create(b, "syscall", syscallType);

  auto fn = func::FuncOp::create(b, kRequest, b.getFunctionType({}, {i32}));
  b.setInsertionPointToStart(fn.addEntryBlock());
  Value flag = LLVM::AddressOfOp::create(b, ptr, kGranted);
  Value granted = LLVM::LoadOp::create(b, i32, flag, /*alignment=*/4,
                                       /*isVolatile=*/false,
                                       /*isNonTemporal=*/false,
                                       /*isInvariant=*/false,
                                       /*isInvariantGroup=*/false,
                                       LLVM::AtomicOrdering::acquire);
  Value zero = arith::ConstantIntOp::create(b, i32, 0);
  Value one = arith::ConstantIntOp::create(b, i32, 1);
  Value known =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, granted, one);
  auto ifOp = scf::IfOp::create(
      b, known,
      [&](OpBuilder &then, Location loc) {
        scf::YieldOp::create(then, loc, zero);
      },
      [&](OpBuilder &otherwise, Location loc) {
        ImplicitLocOpBuilder eb(loc, otherwise);
        auto constant = [&](int64_t v) -> Value {
          return arith::ConstantIntOp::create(eb, i64, v);
        };
        Value status =
            LLVM::CallOp::create(eb, syscallType, "syscall",
                                 ValueRange{constant(kSysArchPrctl),
                                            constant(kArchReqXcompPerm),
                                            constant(kXfeatureXtiledata)})
                .getResult();
        Value ok = arith::CmpIOp::create(eb, arith::CmpIPredicate::eq, status,
                                         constant(0));
        scf::IfOp::create(eb, ok, [&](OpBuilder &store, Location storeLoc) {
          LLVM::StoreOp::create(store, storeLoc, one, flag, /*alignment=*/4,
                                /*isVolatile=*/false, /*isNonTemporal=*/false,
                                /*isInvariantGroup=*/false,
                                LLVM::AtomicOrdering::release);
          scf::YieldOp::create(store, storeLoc);
        });
        Value failed = arith::ConstantIntOp::create(eb, i32, -1);
        scf::YieldOp::create(
            eb, ValueRange{arith::SelectOp::create(eb, ok, zero, failed)});
      });
  func::ReturnOp::create(b, ifOp.getResult(0));
  return fn;
}

struct RequestAmxStatePass
    : prom::impl::PromRequestAmxStateBase<RequestAmxStatePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> tiled;
    for (auto fn : module.getOps<func::FuncOp>()) {
      bool usesTiles = fn.walk([](Operation *op) {
                           return isa<amx::AMXDialect>(op->getDialect())
                                      ? WalkResult::interrupt()
                                      : WalkResult::advance();
                         }).wasInterrupted();
      if (usesTiles)
        tiled.push_back(fn);
    }
    if (tiled.empty())
      return;
    if (module.lookupSymbol(kRequest)) {
      module.emitError() << "prom-request-amx-state: '" << kRequest
                         << "' is already defined";
      return signalPassFailure();
    }

    // Tiles are released where each function that used them returns.
    for (func::FuncOp fn : tiled)
      fn.walk([](func::ReturnOp ret) {
        OpBuilder b(ret);
        LLVM::CallIntrinsicOp::create(b, ret.getLoc(),
                                      b.getStringAttr("llvm.x86.tilerelease"),
                                      ValueRange{});
      });

    // Each entry point asks for the AMX state before anything runs, and
    // stops with a message where the CPU or the kernel refuses it.
    SmallVector<func::FuncOp> entries;
    for (auto fn : module.getOps<func::FuncOp>())
      if (fn.isPublic() && !fn.isExternal())
        entries.push_back(fn);
    func::FuncOp request = defineRequest(module);
    for (func::FuncOp fn : entries) {
      ImplicitLocOpBuilder b =
          ImplicitLocOpBuilder::atBlockBegin(fn.getLoc(), &fn.front());
      Value status = func::CallOp::create(b, request).getResult(0);
      Value ok = arith::CmpIOp::create(
          b, arith::CmpIPredicate::eq, status,
          arith::ConstantIntOp::create(b, b.getI32Type(), 0));
      cf::AssertOp::create(b, ok,
                           "prom: this code uses AMX int8 tiles, which this "
                           "CPU or operating system does not provide "
                           "(arch_prctl ARCH_REQ_XCOMP_PERM failed)");
    }
  }
};

} // namespace
