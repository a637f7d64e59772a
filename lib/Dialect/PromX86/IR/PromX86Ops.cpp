//===- PromX86Ops.cpp - prom_x86 dialect and op verifiers -----------------===//

#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::prom::x86;

#include "Prom/Dialect/PromX86/IR/PromX86Dialect.cpp.inc"
#include "Prom/Dialect/PromX86/IR/PromX86Enums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Prom/Dialect/PromX86/IR/PromX86Attrs.cpp.inc"

#define GET_OP_CLASSES
#include "Prom/Dialect/PromX86/IR/PromX86Ops.cpp.inc"

void PromX86Dialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Prom/Dialect/PromX86/IR/PromX86Ops.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Prom/Dialect/PromX86/IR/PromX86Attrs.cpp.inc"
      >();
}

namespace {
/// One supported width of an instruction: operand and accumulator lanes
/// and element widths, and the LLVM intrinsic.
struct DotForm {
  DotKind kind;
  int64_t operandLanes, operandBits, accLanes, accBits;
  StringRef intrinsic;
};

constexpr DotForm kForms[] = {
    {DotKind::Vpdpbusd, 64, 8, 16, 32, "llvm.x86.avx512.vpdpbusd.512"},
    {DotKind::Vpdpbusd, 32, 8, 8, 32, "llvm.x86.avx512.vpdpbusd.256"},
    {DotKind::Vpmaddubsw, 32, 8, 16, 16, "llvm.x86.avx2.pmadd.ub.sw"},
    {DotKind::Vpmaddubsw, 16, 8, 8, 16, "llvm.x86.ssse3.pmadd.ub.sw.128"},
    {DotKind::Vpmaddwd, 32, 16, 16, 32, "llvm.x86.avx512.pmaddw.d.512"},
    {DotKind::Vpmaddwd, 16, 16, 8, 32, "llvm.x86.avx2.pmadd.wd"},
    {DotKind::Vpmaddwd, 8, 16, 4, 32, "llvm.x86.sse2.pmadd.wd"},
};

const DotForm *findForm(DotOp op) {
  VectorType a = op.getA().getType(), acc = op.getAcc().getType();
  for (const DotForm &form : kForms)
    if (form.kind == op.getKind() && a.getNumElements() == form.operandLanes &&
        a.getElementTypeBitWidth() == form.operandBits &&
        acc.getNumElements() == form.accLanes &&
        acc.getElementTypeBitWidth() == form.accBits)
      return &form;
  return nullptr;
}
} // namespace

LogicalResult DotOp::verify() {
  if (findForm(*this))
    return success();
  InFlightDiagnostic diag = emitOpError()
                            << "has no " << stringifyDotKind(getKind())
                            << " form for " << getA().getType() << " -> "
                            << getAcc().getType() << "; expected one of:";
  for (const DotForm &form : kForms)
    if (form.kind == getKind())
      diag << " vector<" << form.operandLanes << "xi" << form.operandBits
           << "> -> vector<" << form.accLanes << "xi" << form.accBits << ">";
  return diag;
}

StringRef DotOp::getIntrinsicName() {
  const DotForm *form = findForm(*this);
  assert(form && "verified op");
  return form->intrinsic;
}

//===----------------------------------------------------------------------===//
// AmxMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult AmxMatmulOp::verify() {
  auto lhs = cast<ShapedType>(getLhs().getType());
  auto rhs = cast<ShapedType>(getRhs().getType());
  auto init = cast<ShapedType>(getInit().getType());
  bool tensors = isa<RankedTensorType>(lhs) && isa<RankedTensorType>(rhs) &&
                 isa<RankedTensorType>(init);
  bool memrefs =
      isa<MemRefType>(lhs) && isa<MemRefType>(rhs) && isa<MemRefType>(init);
  if (!tensors && !memrefs)
    return emitOpError("expects all operands to be ranked tensors, or all "
                       "memrefs");
  if (tensors != (getResult().size() == 1))
    return emitOpError("has one result on tensors and none on memrefs");
  if (tensors && getResult()[0].getType() != init)
    return emitOpError("result type ")
           << getResult()[0].getType() << " differs from init " << init;
  for (auto [name, type, bits] :
       {std::tuple{"lhs", lhs, 8}, {"rhs", rhs, 8}, {"init", init, 32}}) {
    if (type.getRank() != 2 || !type.hasStaticShape() ||
        !type.getElementType().isSignlessInteger(bits))
      return emitOpError() << "expects " << name << " to be a static 2-D i"
                           << bits << " shape, got " << type;
    if (auto memref = dyn_cast<MemRefType>(type)) {
      SmallVector<int64_t> strides;
      int64_t offset;
      if (failed(memref.getStridesAndOffset(strides, offset)) ||
          strides[1] != 1)
        return emitOpError() << "expects " << name
                             << " to have contiguous rows, got " << memref;
    }
  }
  int64_t m = lhs.getDimSize(0), k = lhs.getDimSize(1);
  int64_t n = init.getDimSize(1);
  if (k % 4 != 0)
    return emitOpError() << "expects lhs columns (K = " << k
                         << ") to be a multiple of 4";
  if (init.getDimSize(0) != m || rhs.getDimSize(0) * 4 != k ||
      rhs.getDimSize(1) != 4 * n)
    return emitOpError() << "expects lhs " << m << "xK, rhs K/4x4N and init "
                         << "MxN; got K = " << k << ", rhs " << rhs << ", init "
                         << init;
  return success();
}

void AmxMatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (!isa<MemRefType>(getInit().getType()))
    return;
  effects.emplace_back(MemoryEffects::Read::get(), &getLhsMutable(),
                       SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Read::get(), &getRhsMutable(),
                       SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &getInitMutable(),
                       SideEffects::DefaultResource::get());
}
