//===- Requantization.cpp - the requantization an int8 kernel runs --------===//

#include "Prom/Codegen/CPU/Common/Requantization.h"

#include "Prom/Codegen/CPU/Common/DotInstruction.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

template <typename OpTy>
static std::optional<KernelAccumulators>
accumulatorsOf(OpTy op, KernelKind kind, std::optional<KernelForm> form) {
  ElementsAttr attr;
  if (!matchPattern(op.getWeights(), m_Constant(&attr)))
    return std::nullopt;
  std::optional<SmallVector<int8_t>> weights = getInt8Elements(attr);
  if (!weights)
    return std::nullopt;
  int64_t rows = cast<RankedTensorType>(op.getWeights().getType())
                     .getDimSize(0); // output channels
  int64_t zp = op.getInputZp(), outputZp = op.getOutputZp();
  std::pair<int32_t, int32_t> clamp = op.getClampBounds();
  float inputScale = op.getInputScale().convertToFloat();
  float outputScale = op.getOutputScale().convertToFloat();
  KernelAccumulators acc;
  for (float w : op.getWeightScales())
    acc.scales.push_back(requantScale(inputScale, w, outputScale));
  Value bias = op.getBias();
  switch (kind) {
  case KernelKind::DepthwiseVector:
    acc.correction = zeroPointTerms(*weights, rows, zp);
    acc.ranges = accumulatorRanges(*weights, rows, bias, acc.correction, -128,
                                   127, outputZp, clamp);
    return acc;
  case KernelKind::PointwiseDot: {
    if (!form)
      return std::nullopt;
    // An unsigned instruction's inputs u = x + 128 range over [0, 255].
    const DotInstruction &instruction = getDotInstruction(*form);
    int64_t offset = instruction.unsignedInput ? 128 : 0;
    acc.correction = zeroPointTerms(*weights, rows, zp + offset);
    acc.ranges =
        accumulatorRanges(*weights, rows, bias, acc.correction, -128 + offset,
                          127 + offset, outputZp, clamp);
    // 16-bit sums are widened by a multiply that can take m' (narrow_i16).
    if (acc.ranges)
      acc.ranges->i16Multipliers = instruction.accumulatorBits == 16;
    return acc;
  }
  case KernelKind::PointwiseAmx: {
    // AMX multiplies the signed inputs: the accumulators are those of the
    // u8 form (bias - (zp + 128) * sum w + sum (x + 128) * w), so their
    // ranges are too; only the start differs.
    SmallVector<int32_t> flipped = zeroPointTerms(*weights, rows, zp + 128);
    acc.correction = zeroPointTerms(*weights, rows, zp);
    acc.ranges = accumulatorRanges(*weights, rows, bias, flipped, 0, 255,
                                   outputZp, clamp);
    if (acc.ranges)
      for (int64_t o = 0; o < rows; ++o)
        acc.ranges->init[o] += int64_t(acc.correction[o]) - flipped[o];
    return acc;
  }
  default:
    return std::nullopt;
  }
}

std::optional<KernelAccumulators>
mlir::prom::kernelAccumulators(Operation *conv, KernelKind kind,
                               std::optional<KernelForm> form) {
  if (auto op = dyn_cast<Conv2DOp>(conv))
    return accumulatorsOf(op, kind, form);
  if (auto op = dyn_cast<TernaryConv2DOp>(conv))
    return accumulatorsOf(op, kind, form);
  return std::nullopt;
}

FailureOr<RequantForm>
mlir::prom::selectRequantForm(Operation *conv, KernelKind kind,
                              std::optional<KernelForm> form) {
  std::optional<KernelAccumulators> acc = kernelAccumulators(conv, kind, form);
  if (!acc)
    return failure();
  return chooseRequantForm(acc->scales, acc->ranges ? &*acc->ranges : nullptr);
}

FailureOr<RequantConstants>
mlir::prom::kernelRequantConstants(Operation *conv, KernelAttr kernel) {
  std::optional<KernelAccumulators> acc =
      kernelAccumulators(conv, kernel.getKind(), kernel.getForm());
  if (!acc || !kernel.getRequant())
    return failure();
  return computeRequantConstants(acc->correction, acc->scales,
                                 acc->ranges ? &*acc->ranges : nullptr,
                                 *kernel.getRequant());
}
