//===- KernelSelection.cpp - reading the chosen kernels -------------------===//

#include "Prom/Codegen/CPU/Common/KernelSelection.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::prom;

std::optional<NarrowAddForm> mlir::prom::narrowAddForm(AddOp op) {
  double outputScale = op.getOutputScale().convertToDouble();
  double ratios[] = {op.getLhsScale().convertToDouble() / outputScale,
                     op.getRhsScale().convertToDouble() / outputScale};
  std::optional<FixedPointScales> fp = computeFixedPointScales(ratios);
  if (!fp)
    return std::nullopt;
  std::pair<int32_t, int32_t> clamp = op.getClampBounds();
  return findNarrowAddForm(fp->multipliers[0], fp->multipliers[1], fp->shift,
                           op.getLhsZp(), op.getRhsZp(), op.getOutputZp(),
                           clamp.first, clamp.second);
}

KernelIsa mlir::prom::bestKernelIsa(TargetAttr target) {
  if (!target || target.getArch() != CpuArch::X86_64)
    return KernelIsa::None;
  if (target.has(CpuFeatures::Avx512Vnni | CpuFeatures::Avx512Bw |
                 CpuFeatures::AmxInt8))
    return KernelIsa::AmxInt8;
  if (target.has(CpuFeatures::Avx512Vnni | CpuFeatures::Avx512Bw))
    return KernelIsa::Avx512Vnni;
  if (target.has(CpuFeatures::Avx2))
    return KernelIsa::Avx2;
  return KernelIsa::None;
}

std::string mlir::prom::kernelIsaName(KernelIsa isa) {
  std::string name = stringifyKernelIsa(isa).str();
  llvm::replace(name, '_', '-');
  return name;
}

std::optional<KernelIsa> mlir::prom::parseKernelIsa(llvm::StringRef name) {
  std::string spelled = name.str();
  llvm::replace(spelled, '-', '_');
  return symbolizeKernelIsa(spelled);
}

KernelAttr mlir::prom::referenceKernel(MLIRContext *context,
                                       const llvm::Twine &reason) {
  return KernelAttr::get(context, KernelKind::Reference, KernelIsa::None,
                         std::nullopt, 0, 0, 0, 0, std::nullopt, reason.str());
}

KernelAttr mlir::prom::getKernel(Operation *op) {
  return op->getAttrOfType<KernelAttr>(kKernelAttrName);
}

KernelAttr mlir::prom::getKernel(Operation *op, KernelKind kind) {
  KernelAttr kernel = getKernel(op);
  return kernel && kernel.getKind() == kind ? kernel : KernelAttr();
}

bool mlir::prom::hasKernel(Operation *op, KernelKind kind) {
  return static_cast<bool>(getKernel(op, kind));
}

LogicalResult mlir::prom::applyKernelPatterns(Operation *root,
                                              RewritePatternSet &&patterns,
                                              KernelKind kind,
                                              llvm::StringRef pass) {
  LogicalResult converged = applyPatternsGreedily(root, std::move(patterns));
  if (failed(checkKernelsApplied(root, kind, pass)))
    return failure();
  if (failed(converged))
    return root->emitError() << pass << ": the rewrite did not converge";
  return success();
}

LogicalResult mlir::prom::checkKernelsApplied(Operation *root, KernelKind kind,
                                              llvm::StringRef pass) {
  bool failed = false;
  root->walk([&](Operation *op) {
    if (!hasKernel(op, kind))
      return;
    op->emitError() << pass << ": the selected kernel "
                    << stringifyKernelKind(kind)
                    << " does not apply to this op";
    failed = true;
  });
  return failure(failed);
}
