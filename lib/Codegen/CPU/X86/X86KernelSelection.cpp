//===- X86KernelSelection.cpp - kernels and tiles for x86 -----------------===//
//
// Which x86 kernel takes each convolution, in which instruction form and
// register tile: the cost estimates of the x86 family.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/X86/X86KernelSelection.h"

#include "Prom/Codegen/CPU/Common/DotInstruction.h"
#include "Prom/Codegen/CPU/Common/PointwiseOperands.h"
#include "Prom/Codegen/CPU/Common/Requantization.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::prom;

int64_t mlir::prom::x86DotLanes(KernelForm form) {
  return form == KernelForm::Vpdpbusd ? 16 : 8;
}

int64_t mlir::prom::amxReductionDepth(int64_t cin) {
  int64_t quads = llvm::alignTo(cin, 4);
  int64_t steps = llvm::divideCeil(quads, 64);
  return steps * llvm::alignTo(llvm::divideCeil(quads, steps), 4);
}

int64_t mlir::prom::amxStepBytes(int64_t depth) {
  int64_t step = 64;
  while (depth % step != 0)
    step -= 4;
  return step;
}

bool mlir::prom::isAmxTile(int64_t pixels, int64_t blocks, int64_t np,
                           int64_t nb) {
  int64_t rows = std::min<int64_t>(pixels, 16);
  if (np <= 0 || nb <= 0 || np > pixels || nb > blocks || np % rows != 0)
    return false;
  int64_t mt = np / rows;
  return mt <= 3 && nb <= 3 && mt * nb + mt + nb <= 8;
}

namespace {

/// The largest register tile of a dot form, and the registers its
/// accumulators, weight vectors and broadcast may take.
struct DotTileLimits {
  int64_t pixels, blocks, registers;
  static DotTileLimits of(KernelForm form) {
    if (form == KernelForm::Vpdpbusd)
      return {8, 4, 30};
    // The product before its vpaddw (vpaddd) takes a register, and one is
    // left for LLVM: 6 x 2 spilled (64->384@14^2, vpmaddwd: 63 -> 70-90
    // us), and 5 x 2 ran 2-7% behind 4 x 2 (16->96@112^2).
    return {4, 4, 14};
  }
};

/// The estimated time of `form`'s kernel over a [pixels, blocks] result
/// reduced over `steps`, in tiles of np x nb (about one unit per dot-product
/// instruction): per tile and step np * nb dot products and np + nb loads
/// (both about two a cycle); each accumulator vector then costs about as
/// much as 9 of them to requantize and store, and 8-lane forms, which store
/// blocks in pairs, pay 5 more per pixel for an odd block; the last tile of
/// a row or column overlaps its neighbour, so a tile that does not divide
/// the result recomputes.
int64_t dotEstimate(KernelForm form, int64_t pixels, int64_t blocks,
                    int64_t steps, std::pair<int64_t, int64_t> tile) {
  auto [np, nb] = tile;
  int64_t unpaired = x86DotLanes(form) == 8 ? np * (nb % 2) : 0;
  return llvm::divideCeil(pixels, np) * llvm::divideCeil(blocks, nb) *
         (steps * std::max(np * nb, np + nb) + 9 * np * nb + 5 * unpaired + 16);
}

/// The np x nb tile for a [pixels, blocks] result reduced over `steps`,
/// each dimension `fixed` (> 0) or chosen: among the tiles whose np * nb
/// accumulators, nb weight vectors and one broadcast fit the registers, the
/// one of least estimated time over the whole result (dotEstimate). E.g.
/// 7 x 7 = 49 pixels take 7-pixel tiles rather than 6 (54 computed) on
/// AVX-512, and 24 channels (3 blocks of 8) 3 x 3 tiles rather than 4 x 2
/// (4 blocks computed) on AVX2.
std::pair<int64_t, int64_t> chooseTile(KernelForm form, int64_t pixels,
                                       int64_t blocks, int64_t steps,
                                       std::pair<int64_t, int64_t> fixed) {
  DotTileLimits k = DotTileLimits::of(form);
  auto range = [](int64_t fixed, int64_t largest, int64_t total) {
    if (fixed > 0)
      return std::pair<int64_t, int64_t>{std::min(fixed, total),
                                         std::min(fixed, total)};
    return std::pair<int64_t, int64_t>{1, std::min(largest, total)};
  };
  auto [pLo, pHi] = range(fixed.first, k.pixels, pixels);
  auto [bLo, bHi] = range(fixed.second, k.blocks, blocks);
  bool overridden = fixed.first > 0 && fixed.second > 0;
  std::pair<int64_t, int64_t> best{pHi, bLo};
  int64_t bestCost = std::numeric_limits<int64_t>::max();
  // Ties go to more pixels (fewer weight loads per output).
  for (int64_t np = pHi; np >= pLo; --np)
    for (int64_t nb = bLo; nb <= bHi; ++nb) {
      if (np * nb + nb + 1 > k.registers && !overridden)
        continue;
      int64_t cost = dotEstimate(form, pixels, blocks, steps, {np, nb});
      if (cost < bestCost ||
          (cost == bestCost && np * nb > best.first * best.second)) {
        bestCost = cost;
        best = {np, nb};
      }
    }
  return best;
}

/// The AMX tile for a [pixels, blocks] result over `depth` bytes, and its
/// estimate in dotEstimate's units, fitted to the bench on an Intel Xeon
/// with AMX (docs/performance.md): per tile and reduction step, each tdpbssd
/// (16 rows x 16 lanes x up to 64 bytes) with its share of the tile loads costs
/// about 40, and a step takes at least 120, the latency of one tdpbssd
/// chain (so 2 x 2 tiles hide it, a lone tile does not); each 16-lane row
/// of the stored accumulators then costs about 14 to requantize and store
/// (more than the dot kernel's 9: it is read back from memory), each tile
/// 30 to store. A call of the layer's function, with its tile
/// configuration and release, adds about 500.
std::pair<std::pair<int64_t, int64_t>, int64_t>
chooseAmxTile(int64_t pixels, int64_t blocks, int64_t depth,
              std::pair<int64_t, int64_t> fixed) {
  int64_t rows = std::min<int64_t>(pixels, 16);
  int64_t steps = depth / amxStepBytes(depth);
  std::pair<int64_t, int64_t> best{0, 0};
  int64_t bestCost = std::numeric_limits<int64_t>::max();
  for (int64_t mt = 1; mt <= 3; ++mt)
    for (int64_t nb = 1; nb <= 3; ++nb) {
      int64_t np = mt * rows;
      if ((fixed.first > 0 && np != fixed.first) ||
          (fixed.second > 0 && nb != fixed.second) ||
          !isAmxTile(pixels, blocks, np, nb))
        continue;
      int64_t tiles =
          llvm::divideCeil(pixels, np) * llvm::divideCeil(blocks, nb);
      int64_t cost = tiles * (steps * std::max<int64_t>(40 * mt * nb, 120) +
                              14 * np * nb + 30 * mt * nb) +
                     500;
      if (cost < bestCost) {
        bestCost = cost;
        best = {np, nb};
      }
    }
  return {best, bestCost};
}

/// prom-pointwise-dot for an int8 or ternary convolution as a matrix
/// product: the instruction form its weights allow, and the tile.
KernelAttr pointwiseDot(Operation *op, Value weightsValue,
                        RankedTensorType outType,
                        const KernelRequest &request) {
  MLIRContext *context = op->getContext();
  std::string obstacle = integerKernelObstacle(op);
  if (!obstacle.empty())
    return referenceKernel(context, obstacle);
  ElementsAttr attr;
  (void)matchPattern(weightsValue, m_Constant(&attr));
  SmallVector<int8_t> weights = *getInt8Elements(attr);
  ArrayRef<int64_t> out = outType.getShape();
  int64_t cout = out[3], cin = weights.size() / cout;
  // vpmaddubsw saturates its pair sums past 32767 = 255 * 128 + 127.
  KernelForm form = request.isa >= KernelIsa::Avx512Vnni ? KernelForm::Vpdpbusd
                    : maxPairSum(weights, cout) <= 128 ? KernelForm::Vpmaddubsw
                                                       : KernelForm::Vpmaddwd;
  int64_t lanes = x86DotLanes(form);
  int64_t steps = llvm::divideCeil(cin, getDotInstruction(form).group);
  int64_t pixels = out[0] * out[1] * out[2];
  int64_t blocks = llvm::divideCeil(cout, lanes);
  std::pair<int64_t, int64_t> fixed{request.tilePixels, request.tileBlocks};
  auto [np, nb] = chooseTile(form, pixels, blocks, steps, fixed);
  if (request.isa == KernelIsa::AmxInt8 &&
      request.pointwise != PointwiseKernel::Dot) {
    // AMX where its estimate beats the dot kernel's: deep layers; shallow
    // ones keep VNNI, whose tiles waste nothing on a short reduction.
    auto [amxTile, amxCost] = chooseAmxTile(pixels, llvm::divideCeil(cout, 16),
                                            amxReductionDepth(cin), fixed);
    if (amxTile.first > 0 &&
        (request.pointwise == PointwiseKernel::Amx ||
         amxCost < dotEstimate(form, pixels, blocks, steps, {np, nb}))) {
      FailureOr<RequantForm> requant =
          selectRequantForm(op, KernelKind::PointwiseAmx, std::nullopt);
      if (failed(requant))
        return referenceKernel(context, "no requantization form");
      return KernelAttr::get(context, KernelKind::PointwiseAmx,
                             KernelIsa::AmxInt8, std::nullopt, 16,
                             amxTile.first, amxTile.second, 0, *requant, "");
    }
  }
  FailureOr<RequantForm> requant =
      selectRequantForm(op, KernelKind::PointwiseDot, form);
  if (failed(requant))
    return referenceKernel(context, "no requantization form");
  // On AMX targets the dot kernel is the AVX-512 VNNI one.
  return KernelAttr::get(context, KernelKind::PointwiseDot,
                         std::min(request.isa, KernelIsa::Avx512Vnni), form,
                         lanes, np, nb, request.chunkBytes, *requant, "");
}

KernelAttr selectGroupedConv(Conv2DOp op, const KernelRequest &request,
                             int64_t lanes) {
  MLIRContext *context = op.getContext();
  int64_t channels =
      cast<RankedTensorType>(op.getInput().getType()).getDimSize(3);
  if (op.getGroups() != channels ||
      op.getOutput().getType().getDimSize(3) != channels)
    return referenceKernel(context, "grouped, neither dense nor depthwise");
  std::string obstacle = integerKernelObstacle(op);
  if (!obstacle.empty())
    return referenceKernel(context, obstacle);
  if (channels < lanes)
    return referenceKernel(context, "fewer channels than vector lanes");
  // vpmaddwd (with AVX-512 VNNI, vpdpwssd) takes two taps an instruction
  // where the multiply form needs vpmulld and vpaddd for one. Tiles of 4
  // pixels: 4 accumulators, the taps' weights and the widened inputs fit
  // the 16 ymm registers.
  std::optional<KernelForm> form;
  if (request.depthwisePairs)
    form = KernelForm::Vpmaddwd;
  FailureOr<RequantForm> requant =
      selectRequantForm(op, KernelKind::DepthwiseVector, form);
  if (failed(requant))
    return referenceKernel(context, "no requantization form");
  return KernelAttr::get(context, KernelKind::DepthwiseVector, request.isa,
                         form, lanes, 4, 0, 0, *requant, "");
}

KernelAttr selectTernary(TernaryConv2DOp op, const KernelRequest &request) {
  auto wType = cast<RankedTensorType>(op.getWeights().getType());
  if (wType.getDimSize(1) != 1 || wType.getDimSize(2) != 1)
    return referenceKernel(op.getContext(), "not a 1x1 window");
  return pointwiseDot(op, op.getWeights(), op.getOutput().getType(), request);
}

/// The register tile of the f32 and merged kernels (one multiply and one
/// add per accumulator and step): 6 x 2 of the 32 zmm, 4 x 2 of the 16 ymm.
std::pair<int64_t, int64_t> vectorTile(int64_t lanes) {
  return lanes >= 16 ? std::pair<int64_t, int64_t>{6, 2}
                     : std::pair<int64_t, int64_t>{4, 2};
}

/// prom-float-conv-vector: f32 with known weights and bias, zero points 0.
KernelAttr selectFloatConv(tosa::Conv2DOp op, const KernelRequest &request,
                           int64_t lanes) {
  MLIRContext *context = op.getContext();
  std::string obstacle = floatConvObstacle(op);
  if (!obstacle.empty())
    return referenceKernel(context, obstacle);
  auto [np, nb] = vectorTile(lanes);
  return KernelAttr::get(context, KernelKind::FloatConvVector, request.isa,
                         std::nullopt, lanes, np, nb, 0, std::nullopt, "");
}

/// prom-float-depthwise-vector: f32 depthwise with known weights and bias.
/// Tiles of 4 pixels: on MobileNetV2 (Zen 5) its depthwise layers took 698
/// us with 4, 804 with 3, 884 with 6 and 1262 with 8.
KernelAttr selectFloatDepthwise(tosa::DepthwiseConv2DOp op,
                                const KernelRequest &request, int64_t lanes) {
  std::string obstacle = floatDepthwiseObstacle(op, lanes);
  if (!obstacle.empty())
    return referenceKernel(op.getContext(), obstacle);
  return KernelAttr::get(op.getContext(), KernelKind::FloatDepthwiseVector,
                         request.isa, std::nullopt, lanes, 4, 0, 0,
                         std::nullopt, "");
}

/// prom-merged-conv-vector: HASTE's merged convolutions (one image; static
/// window and output channels).
KernelAttr selectMergedConv(linalg::Conv2DNhwcHwcfOp op,
                            const KernelRequest &request, int64_t lanes) {
  MLIRContext *context = op.getContext();
  if (!op.hasPureTensorSemantics())
    return referenceKernel(context, "not on tensors");
  auto inType = cast<RankedTensorType>(op.getInputs()[0].getType());
  auto wType = cast<RankedTensorType>(op.getInputs()[1].getType());
  auto outType = cast<RankedTensorType>(op.getOutputs()[0].getType());
  Type element = outType.getElementType(), operand = inType.getElementType();
  bool i16 = operand.isInteger(16) && element.isInteger(32);
  if (wType.getElementType() != operand ||
      !(i16 ||
        (operand == element && (element.isF32() || element.isInteger(32)))))
    return referenceKernel(context, "element types are not f32, i32 or i16 "
                                    "into i32");
  if (inType.getDimSize(0) != 1 || outType.getDimSize(0) != 1 ||
      wType.isDynamicDim(0) || wType.isDynamicDim(1) || wType.isDynamicDim(3) ||
      ShapedType::isDynamic(outType.getDimSize(3)))
    return referenceKernel(context, "not one image with a static window and "
                                    "output channels");
  auto [np, nb] = vectorTile(lanes);
  return KernelAttr::get(context, KernelKind::MergedConvVector, request.isa,
                         std::nullopt, lanes, np, nb, 0, std::nullopt, "");
}

} // namespace

KernelAttr mlir::prom::selectX86Kernel(Operation *op,
                                       const KernelRequest &request) {
  // The vector kernels use the ISA's full width: 16 i32 lanes a zmm. Only
  // the pointwise kernels have an AMX form; the rest run AVX-512 there.
  int64_t lanes = request.isa >= KernelIsa::Avx512Vnni ? 16 : 8;
  KernelRequest vector = request;
  vector.isa = std::min(request.isa, KernelIsa::Avx512Vnni);
  return llvm::TypeSwitch<Operation *, KernelAttr>(op)
      .Case([&](Conv2DOp conv) {
        if (conv.getGroups() == 1)
          return pointwiseDot(conv, conv.getWeights(),
                              conv.getOutput().getType(), request);
        return selectGroupedConv(conv, vector, lanes);
      })
      .Case([&](TernaryConv2DOp conv) { return selectTernary(conv, request); })
      .Case([&](tosa::Conv2DOp conv) {
        return selectFloatConv(conv, vector, lanes);
      })
      .Case([&](tosa::DepthwiseConv2DOp conv) {
        return selectFloatDepthwise(conv, vector, lanes);
      })
      .Case([&](linalg::Conv2DNhwcHwcfOp conv) {
        return selectMergedConv(conv, vector, lanes);
      })
      .Default([](Operation *) { return KernelAttr(); });
}
