//===- X86DotInstructions.cpp - x86's multiply-accumulate forms -----------===//
//
// Each form is one prom_x86.dot kind (lowered to the AVX2, AVX-VNNI or
// AVX-512 VNNI intrinsic of the vector's width by convert-prom-x86-to-llvm).
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/X86/X86DotInstructions.h"

#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

using namespace mlir;
using namespace mlir::prom;

static AccumulateFn dot(x86::DotKind kind) {
  return [kind](ImplicitLocOpBuilder &b, Value acc, Value input,
                Value weights) -> Value {
    return x86::DotOp::create(b, kind, acc, input, weights);
  };
}

const DotInstruction *mlir::prom::getX86DotInstruction(KernelForm form) {
  // vpdpbusd: u8 x s8, 4 products an i32 lane (vpdpbusd of AVX-512 VNNI).
  static const DotInstruction vpdpbusd{
      4, 8, true, 32, dot(x86::DotKind::Vpdpbusd), nullptr};
  // vpmaddwd: s16 x s16, 2 products an i32 lane (vpdpwssd with VNNI).
  static const DotInstruction vpmaddwd{
      2, 16, false, 32, dot(x86::DotKind::Vpmaddwd), nullptr};
  // vpmaddubsw: u8 x s8 pairs into saturating s16 lanes (4 channels an
  // i32 lane), widened by vpmaddwd (AVX2).
  static const DotInstruction vpmaddubsw{4,
                                         8,
                                         true,
                                         16,
                                         dot(x86::DotKind::Vpmaddubsw),
                                         dot(x86::DotKind::Vpmaddwd)};
  switch (form) {
  case KernelForm::Vpdpbusd:
    return &vpdpbusd;
  case KernelForm::Vpmaddubsw:
    return &vpmaddubsw;
  case KernelForm::Vpmaddwd:
    return &vpmaddwd;
  }
  return nullptr;
}
