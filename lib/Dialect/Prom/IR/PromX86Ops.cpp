//===- PromX86Ops.cpp - verifier and intrinsic names of prom.x86_dot ------===//

#include "Prom/Dialect/Prom/IR/PromOps.h"

using namespace mlir;
using namespace mlir::prom;

namespace {
/// One supported width of an instruction: operand and accumulator lanes
/// and element widths, and the LLVM intrinsic.
struct X86DotForm {
  X86DotKind kind;
  int64_t operandLanes, operandBits, accLanes, accBits;
  StringRef intrinsic;
};

constexpr X86DotForm kForms[] = {
    {X86DotKind::Vpdpbusd, 64, 8, 16, 32, "llvm.x86.avx512.vpdpbusd.512"},
    {X86DotKind::Vpdpbusd, 32, 8, 8, 32, "llvm.x86.avx512.vpdpbusd.256"},
    {X86DotKind::Vpmaddubsw, 32, 8, 16, 16, "llvm.x86.avx2.pmadd.ub.sw"},
    {X86DotKind::Vpmaddubsw, 16, 8, 8, 16, "llvm.x86.ssse3.pmadd.ub.sw.128"},
    {X86DotKind::Vpmaddwd, 32, 16, 16, 32, "llvm.x86.avx512.pmaddw.d.512"},
    {X86DotKind::Vpmaddwd, 16, 16, 8, 32, "llvm.x86.avx2.pmadd.wd"},
    {X86DotKind::Vpmaddwd, 8, 16, 4, 32, "llvm.x86.sse2.pmadd.wd"},
};

const X86DotForm *findForm(X86DotOp op) {
  VectorType a = op.getA().getType(), acc = op.getAcc().getType();
  for (const X86DotForm &form : kForms)
    if (form.kind == op.getKind() && a.getNumElements() == form.operandLanes &&
        a.getElementTypeBitWidth() == form.operandBits &&
        acc.getNumElements() == form.accLanes &&
        acc.getElementTypeBitWidth() == form.accBits)
      return &form;
  return nullptr;
}
} // namespace

LogicalResult X86DotOp::verify() {
  if (findForm(*this))
    return success();
  InFlightDiagnostic diag = emitOpError()
                            << "has no " << stringifyX86DotKind(getKind())
                            << " form for " << getA().getType() << " -> "
                            << getAcc().getType() << "; expected one of:";
  for (const X86DotForm &form : kForms)
    if (form.kind == getKind())
      diag << " vector<" << form.operandLanes << "xi" << form.operandBits
           << "> -> vector<" << form.accLanes << "xi" << form.accBits << ">";
  return diag;
}

StringRef X86DotOp::getIntrinsicName() {
  const X86DotForm *form = findForm(*this);
  assert(form && "verified op");
  return form->intrinsic;
}
