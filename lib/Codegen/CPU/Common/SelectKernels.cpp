//===- SelectKernels.cpp - the prom-select-kernels pass -------------------===//
//
// Resolves the request (isa, ternary kernel, overrides) against the module's
// target once, then gives every op its kernel: target-independent ones here,
// the rest from the target family's selection (X86KernelSelection.cpp).
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/Epilogue.h"
#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/TargetDescription.h"
#include "Prom/Codegen/CPU/X86/X86KernelSelection.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMSELECTKERNELS
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

template <typename OpTy> static std::string obstacleOf(OpTy op) {
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto wType = cast<RankedTensorType>(op.getWeights().getType());
  if (!inType.hasStaticShape() || !wType.hasStaticShape() ||
      !op.getOutput().getType().hasStaticShape())
    return "shapes are not static";
  ElementsAttr weights;
  if (!matchPattern(op.getWeights(), m_Constant(&weights)) ||
      !getInt8Elements(weights))
    return "weights are not int8 constants";
  float inputScale = op.getInputScale().convertToFloat();
  float outputScale = op.getOutputScale().convertToFloat();
  if (llvm::any_of(op.getWeightScales(), [&](float w) {
        return !computeFixedPointScale(
            requantScale(inputScale, w, outputScale));
      }))
    return "a requantization scale is out of the fixed-point range";
  return "";
}

std::string mlir::prom::integerKernelObstacle(Operation *conv) {
  if (auto op = dyn_cast<Conv2DOp>(conv))
    return obstacleOf(op);
  if (auto op = dyn_cast<TernaryConv2DOp>(conv))
    return obstacleOf(op);
  return "not an integer convolution";
}

/// What stops a float kernel in its operands' shapes and types: shapes not
/// static, input or output not f32.
static std::string floatShapesObstacle(Value input, Value weight,
                                       Value output) {
  auto inType = dyn_cast<RankedTensorType>(input.getType());
  auto wType = dyn_cast<RankedTensorType>(weight.getType());
  auto outType = dyn_cast<RankedTensorType>(output.getType());
  if (!inType || !wType || !outType || !inType.hasStaticShape() ||
      !wType.hasStaticShape() || !outType.hasStaticShape())
    return "shapes are not static";
  if (!inType.getElementType().isF32() || !outType.getElementType().isF32())
    return "not f32";
  return "";
}

/// What stops a float kernel in its constants: weights or bias unknown,
/// zero points not 0, a bias neither per output channel (`channels`) nor
/// one value.
static std::string floatConstantsObstacle(Value weight, Value bias,
                                          Value inputZp, Value weightZp,
                                          int64_t channels) {
  std::optional<SmallVector<float>> biasValues = getKnownFloats(bias);
  if (!getKnownFloats(weight) || !biasValues)
    return "weights or bias not known at compile time";
  if (!isZeroConstant(inputZp) || !isZeroConstant(weightZp))
    return "zero points are not 0";
  if (biasValues->size() != size_t(channels) && biasValues->size() != 1)
    return "bias neither per channel nor one value";
  return "";
}

std::string mlir::prom::floatConvObstacle(Operation *op) {
  auto conv = dyn_cast<tosa::Conv2DOp>(op);
  if (!conv)
    return "not a tosa.conv2d";
  std::string obstacle =
      floatShapesObstacle(conv.getInput(), conv.getWeight(), conv.getOutput());
  if (!obstacle.empty())
    return obstacle;
  return floatConstantsObstacle(conv.getWeight(), conv.getBias(),
                                conv.getInputZp(), conv.getWeightZp(),
                                conv.getType().getDimSize(3));
}

std::string mlir::prom::floatDepthwiseObstacle(Operation *op, int64_t lanes) {
  auto conv = dyn_cast<tosa::DepthwiseConv2DOp>(op);
  if (!conv)
    return "not a tosa.depthwise_conv2d";
  std::string obstacle =
      floatShapesObstacle(conv.getInput(), conv.getWeight(), conv.getOutput());
  if (!obstacle.empty())
    return obstacle;
  auto wType = cast<RankedTensorType>(conv.getWeight().getType());
  if (!wType.getElementType().isF32())
    return "not f32";
  if (wType.getDimSize(3) != 1)
    return "a channel multiplier above 1";
  // With no multiplier, as many output channels as input channels.
  int64_t channels = conv.getType().getDimSize(3);
  obstacle =
      floatConstantsObstacle(conv.getWeight(), conv.getBias(),
                             conv.getInputZp(), conv.getWeightZp(), channels);
  if (!obstacle.empty())
    return obstacle;
  if (channels < lanes)
    return "fewer channels than vector lanes";
  return "";
}

namespace {

/// The kernel of `op` under `request`, or null for ops prom does not lower.
KernelAttr selectKernel(Operation *op, const KernelRequest &request) {
  MLIRContext *context = op->getContext();
  if (isa<TernaryConv2DOp>(op)) {
    if (request.ternary == TernaryKernel::Reference)
      return referenceKernel(context, "ternary-kernel=reference");
    if (request.ternary == TernaryKernel::Add) {
      // Plain vector code: any target runs it.
      std::string obstacle = integerKernelObstacle(op);
      if (!obstacle.empty())
        return referenceKernel(context, obstacle);
      return KernelAttr::get(context, KernelKind::TernaryAdd, KernelIsa::None,
                             std::nullopt, request.addLanes, 0, 0, 0,
                             std::nullopt, "");
    }
  }
  if (isa<Conv2DOp, TernaryConv2DOp, tosa::Conv2DOp, tosa::DepthwiseConv2DOp,
          linalg::Conv2DNhwcHwcfOp>(op)) {
    if (request.isa == KernelIsa::None)
      return referenceKernel(context, "kernel isa none");
    return selectX86Kernel(op, request);
  }
  if (isa<tosa::ClampOp, tosa::AddOp>(op)) {
    // A ReLU6 or a residual add after a float kernel: applied to its vectors
    // before the store, not in a pass of its own over memory.
    Value input = epilogueInput(op);
    Operation *producer = input ? input.getDefiningOp() : nullptr;
    KernelAttr kernel = producer ? chainKernel(producer) : KernelAttr();
    if (kernel &&
        (kernel.getKind() == KernelKind::FloatConvVector ||
         kernel.getKind() == KernelKind::FloatDepthwiseVector) &&
        canBeEpilogue(op, producer, kernel.getLanes()))
      return KernelAttr::get(context, KernelKind::Epilogue, KernelIsa::None,
                             std::nullopt, 0, 0, 0, 0, std::nullopt, "");
    return {};
  }
  if (auto table = dyn_cast<TableOp>(op)) {
    if (!request.byteTables)
      return referenceKernel(context,
                             request.isa < KernelIsa::Avx512Vnni
                                 ? "kernel isa below avx512-vnni"
                                 : "the target has no avx512vbmi (vpermi2b)");
    if (!table.getOutput().getType().hasStaticShape())
      return referenceKernel(context, "shapes are not static");
    return KernelAttr::get(context, KernelKind::TableVector,
                           KernelIsa::Avx512Vnni, std::nullopt, 64, 0, 0, 0,
                           std::nullopt, "");
  }
  if (auto add = dyn_cast<AddOp>(op)) {
    // Plain vector code, as wide as the isa's vectors.
    if (request.isa == KernelIsa::None)
      return referenceKernel(context, "kernel isa none");
    int64_t lanes = request.isa >= KernelIsa::Avx512Vnni ? 16 : 8;
    auto type = dyn_cast<RankedTensorType>(add.getOutput().getType());
    if (!type || !type.hasStaticShape())
      return referenceKernel(context, "shapes are not static");
    if (type.getNumElements() < lanes)
      return referenceKernel(context, "fewer elements than vector lanes");
    if (!narrowAddForm(add))
      return referenceKernel(context, "no exact i32 form of the scales");
    return KernelAttr::get(context, KernelKind::AddVector, KernelIsa::None,
                           std::nullopt, lanes, 0, 0, 0, std::nullopt, "");
  }
  if (isa<PromDialect>(op->getDialect()))
    return referenceKernel(context,
                           "no kernel for " + op->getName().getStringRef());
  return {};
}

struct SelectKernelsPass
    : prom::impl::PromSelectKernelsBase<SelectKernelsPass> {
  using Base::Base;

  FailureOr<KernelRequest> resolve(TargetAttr target) {
    ModuleOp module = getOperation();
    auto fail = [&](const llvm::Twine &message) {
      // At the module's location, without printing the module.
      mlir::emitError(module.getLoc()) << "prom-select-kernels: " << message;
      return failure();
    };
    KernelIsa best = bestKernelIsa(target);
    KernelRequest request{best,       TernaryKernel::Dot, addLanes,
                          tilePixels, tileBlocks,         chunkBytes};
    if (isa != "auto") {
      std::optional<KernelIsa> asked = parseKernelIsa(isa);
      if (!asked)
        return fail("unknown isa '" + isa +
                    "' (expected auto, none, avx2, avx512-vnni or amx-int8)");
      // Each isa's targets also run the kernels of the ones below it.
      if (*asked > best)
        return fail("isa=" + isa + " needs a CPU with it; the target (" +
                    target.getCpu() + ") has " + kernelIsaName(best));
      request.isa = *asked;
    }
    if (ternaryKernel == "auto")
      request.ternary = request.isa != KernelIsa::None ? TernaryKernel::Dot
                                                       : TernaryKernel::Add;
    else if (ternaryKernel == "dot" && request.isa == KernelIsa::None)
      return fail("ternary-kernel=dot needs isa avx2, avx512-vnni or "
                  "amx-int8");
    else if (ternaryKernel == "add")
      request.ternary = TernaryKernel::Add;
    else if (ternaryKernel == "reference")
      request.ternary = TernaryKernel::Reference;
    else if (ternaryKernel != "dot")
      return fail("unknown ternary-kernel '" + ternaryKernel +
                  "' (expected auto, dot, add or reference)");
    if (tilePixels < 0 || tileBlocks < 0)
      return fail("tile-pixels and tile-blocks must be 0 (estimated) or "
                  "positive");
    if (pointwiseKernel == "dot")
      request.pointwise = PointwiseKernel::Dot;
    else if (pointwiseKernel == "amx")
      request.pointwise = PointwiseKernel::Amx;
    else if (pointwiseKernel != "auto")
      return fail("unknown pointwise-kernel '" + pointwiseKernel +
                  "' (expected auto, dot or amx)");
    if (depthwiseForm == "multiply")
      request.depthwisePairs = false;
    else if (depthwiseForm != "auto")
      return fail("unknown depthwise-form '" + depthwiseForm +
                  "' (expected auto or multiply)");
    if (request.pointwise == PointwiseKernel::Amx &&
        request.isa != KernelIsa::AmxInt8)
      return fail("pointwise-kernel=amx needs isa amx-int8");
    request.byteTables = request.isa >= KernelIsa::Avx512Vnni &&
                         target.has(CpuFeatures::Avx512Vbmi);
    if (chunkBytes <= 0 || addLanes <= 0)
      return fail("chunk-bytes and add-lanes must be positive");
    return request;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = getTarget(module);
    if (!target) {
      mlir::emitError(module.getLoc())
          << "prom-select-kernels: the module has no " << kTargetAttrName
          << " (run prom-set-target first)";
      return signalPassFailure();
    }
    FailureOr<KernelRequest> request = resolve(target);
    if (failed(request))
      return signalPassFailure();
    // A kernel already on an op (chosen by hand, or by an earlier run) is
    // kept.
    module.walk([&](Operation *op) {
      if (getKernel(op))
        return;
      if (KernelAttr kernel = selectKernel(op, *request))
        op->setAttr(kKernelAttrName, kernel);
    });
  }
};

} // namespace
