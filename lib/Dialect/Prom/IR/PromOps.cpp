//===- PromOps.cpp - prom operations and their verifiers ------------------===//

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>
#include <optional>

using namespace mlir;
using namespace mlir::prom;

static constexpr int64_t kI8Min = -128;
static constexpr int64_t kI8Max = 127;

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

static LogicalResult verifyScale(Operation *op, StringRef name, float scale) {
  if (std::isfinite(scale) && scale > 0.0f)
    return success();
  return op->emitOpError() << "expects '" << name
                           << "' to be positive and finite, got " << scale;
}

static LogicalResult verifyScales(Operation *op, StringRef name,
                                  ArrayRef<float> scales) {
  for (auto [i, scale] : llvm::enumerate(scales))
    if (!std::isfinite(scale) || scale <= 0.0f)
      return op->emitOpError()
             << "expects every value of '" << name
             << "' to be positive and finite, got " << scale << " at index "
             << i;
  return success();
}

static LogicalResult verifyZeroPoint(Operation *op, StringRef name,
                                     int64_t zp) {
  if (zp >= kI8Min && zp <= kI8Max)
    return success();
  return op->emitOpError() << "expects '" << name << "' in [" << kI8Min << ", "
                           << kI8Max << "], got " << zp;
}

/// Scales, zero points and axis of prom.quantize / prom.dequantize.
static LogicalResult verifyAffineQuantization(Operation *op, ShapedType type,
                                              ArrayRef<float> scales,
                                              ArrayRef<int32_t> zeroPoints,
                                              std::optional<int64_t> axis) {
  if (scales.size() != zeroPoints.size())
    return op->emitOpError()
           << "expects 'scales' and 'zero_points' of equal length, got "
           << scales.size() << " and " << zeroPoints.size();
  if (!axis) {
    if (scales.size() != 1)
      return op->emitOpError()
             << "expects one scale and zero point without 'axis', got "
             << scales.size();
  } else {
    int64_t a = *axis;
    if (!type.hasRank() || a < 0 || a >= type.getRank())
      return op->emitOpError() << "expects 'axis' to name a dimension of the "
                                  "ranked operand, got "
                               << a;
    int64_t dim = type.getDimSize(a);
    if (!ShapedType::isDynamic(dim) &&
        static_cast<int64_t>(scales.size()) != dim)
      return op->emitOpError()
             << "expects one scale per index of axis " << a << " (" << dim
             << "), got " << scales.size();
  }
  if (failed(verifyScales(op, "scales", scales)))
    return failure();
  for (auto [i, zp] : llvm::enumerate(zeroPoints))
    if (zp < kI8Min || zp > kI8Max)
      return op->emitOpError() << "expects every zero point in [" << kI8Min
                               << ", " << kI8Max << "], got " << zp
                               << " at index " << i;
  return success();
}

static LogicalResult verifyPositiveArray(Operation *op, StringRef name,
                                         ArrayRef<int64_t> values,
                                         size_t size, int64_t min) {
  if (values.size() != size)
    return op->emitOpError() << "expects '" << name << "' to have " << size
                             << " elements, got " << values.size();
  for (int64_t v : values)
    if (v < min)
      return op->emitOpError() << "expects every value of '" << name
                               << "' to be >= " << min << ", got " << v;
  return success();
}

namespace {
/// The attributes and types every quantized prom convolution shares.
struct ConvSignature {
  RankedTensorType input, weights, output;
  Value bias;
  ArrayRef<int64_t> stride, pad, dilation;
  int64_t groups;
  float inputScale, outputScale;
  int64_t inputZp, outputZp;
  ArrayRef<float> weightScales;
  std::optional<ArrayRef<int32_t>> clamp;
};
} // namespace

/// Checks one spatial output dimension against the convolution arithmetic.
static LogicalResult verifyOutputExtent(Operation *op, StringRef dimName,
                                        int64_t in, int64_t kernel,
                                        int64_t stride, int64_t padLo,
                                        int64_t padHi, int64_t dilation,
                                        int64_t out) {
  if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel))
    return success();
  int64_t window = dilation * (kernel - 1) + 1;
  int64_t padded = in + padLo + padHi;
  if (padded < window)
    return op->emitOpError()
           << "expects the " << dimName << " window (" << window
           << ") to fit the padded input (" << padded << ")";
  int64_t expected = (padded - window) / stride + 1;
  if (!ShapedType::isDynamic(out) && out != expected)
    return op->emitOpError() << "expects output " << dimName << " " << expected
                             << " (input " << in << ", kernel " << kernel
                             << ", stride " << stride << ", pad " << padLo
                             << "+" << padHi << ", dilation " << dilation
                             << "), got " << out;
  return success();
}

static LogicalResult verifyConv(Operation *op, const ConvSignature &sig) {
  if (failed(verifyPositiveArray(op, "stride", sig.stride, 2, 1)) ||
      failed(verifyPositiveArray(op, "pad", sig.pad, 4, 0)) ||
      failed(verifyPositiveArray(op, "dilation", sig.dilation, 2, 1)))
    return failure();
  if (sig.groups < 1)
    return op->emitOpError() << "expects 'groups' >= 1, got " << sig.groups;

  ArrayRef<int64_t> in = sig.input.getShape();
  ArrayRef<int64_t> w = sig.weights.getShape();
  ArrayRef<int64_t> out = sig.output.getShape();
  int64_t inC = in[3], outC = w[0];

  if (!ShapedType::isDynamic(inC)) {
    if (inC % sig.groups != 0)
      return op->emitOpError() << "expects input channels (" << inC
                               << ") to be divisible by groups (" << sig.groups
                               << ")";
    if (!ShapedType::isDynamic(w[3]) && w[3] * sig.groups != inC)
      return op->emitOpError()
             << "expects weights of shape [Co, Kh, Kw, Ci / groups] with "
                "Ci / groups = "
             << inC / sig.groups << ", got " << w[3];
  }
  if (!ShapedType::isDynamic(outC)) {
    if (outC % sig.groups != 0)
      return op->emitOpError() << "expects output channels (" << outC
                               << ") to be divisible by groups (" << sig.groups
                               << ")";
    if (static_cast<int64_t>(sig.weightScales.size()) != outC)
      return op->emitOpError()
             << "expects one weight scale per output channel (" << outC
             << "), got " << sig.weightScales.size();
    if (!ShapedType::isDynamic(out[3]) && out[3] != outC)
      return op->emitOpError() << "expects " << outC
                               << " output channels (weights dim 0), got "
                               << out[3];
  }
  if (!ShapedType::isDynamic(in[0]) && !ShapedType::isDynamic(out[0]) &&
      in[0] != out[0])
    return op->emitOpError() << "expects output batch " << in[0] << ", got "
                             << out[0];
  if (sig.bias) {
    auto biasType = cast<RankedTensorType>(sig.bias.getType());
    int64_t n = biasType.getDimSize(0);
    if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(outC) && n != outC)
      return op->emitOpError() << "expects bias of " << outC
                               << " elements (one per output channel), got "
                               << n;
  }
  if (failed(verifyOutputExtent(op, "height", in[1], w[1], sig.stride[0],
                                sig.pad[0], sig.pad[1], sig.dilation[0],
                                out[1])) ||
      failed(verifyOutputExtent(op, "width", in[2], w[2], sig.stride[1],
                                sig.pad[2], sig.pad[3], sig.dilation[1],
                                out[2])))
    return failure();

  if (failed(verifyScale(op, "input_scale", sig.inputScale)) ||
      failed(verifyScale(op, "output_scale", sig.outputScale)) ||
      failed(verifyScales(op, "weight_scales", sig.weightScales)) ||
      failed(verifyZeroPoint(op, "input_zp", sig.inputZp)) ||
      failed(verifyZeroPoint(op, "output_zp", sig.outputZp)))
    return failure();

  if (sig.clamp) {
    ArrayRef<int32_t> c = *sig.clamp;
    if (c.size() != 2)
      return op->emitOpError() << "expects 'clamp' as [min, max], got "
                               << c.size() << " elements";
    if (c[0] < kI8Min || c[1] > kI8Max || c[0] > c[1])
      return op->emitOpError() << "expects 'clamp' with " << kI8Min
                               << " <= min <= max <= " << kI8Max << ", got ["
                               << c[0] << ", " << c[1] << "]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  return verifyAffineQuantization(*this, getInput().getType(), getScales(),
                                  getZeroPoints(), getAxis());
}

LogicalResult DequantizeOp::verify() {
  return verifyAffineQuantization(*this, getInput().getType(), getScales(),
                                  getZeroPoints(), getAxis());
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  return verifyConv(*this, {getInput().getType(), getWeights().getType(),
                            getOutput().getType(), getBias(), getStride(),
                            getPad(), getDilation(), getGroups(),
                            getInputScale().convertToFloat(),
                            getOutputScale().convertToFloat(), getInputZp(),
                            getOutputZp(), getWeightScales(), getClamp()});
}

//===----------------------------------------------------------------------===//
// TernaryConv2DOp
//===----------------------------------------------------------------------===//

LogicalResult TernaryConv2DOp::verify() {
  RankedTensorType weights = getWeights().getType();
  if (weights.getDimSize(1) != 1 || weights.getDimSize(2) != 1)
    return emitOpError() << "expects 1x1 weights of shape [Co, 1, 1, Ci], got "
                         << weights.getDimSize(1) << "x"
                         << weights.getDimSize(2) << " kernel";

  static constexpr int64_t kNoPad[] = {0, 0, 0, 0};
  static constexpr int64_t kNoDilation[] = {1, 1};
  if (failed(verifyConv(*this, {getInput().getType(), weights,
                                getOutput().getType(), getBias(), getStride(),
                                kNoPad, kNoDilation, /*groups=*/1,
                                getInputScale().convertToFloat(),
                                getOutputScale().convertToFloat(),
                                getInputZp(), getOutputZp(),
                                getWeightScales(), getClamp()})))
    return failure();

  // Ternary-ness is part of the op's meaning; check it whenever the weights
  // are known.
  DenseIntElementsAttr values;
  if (!matchPattern(getWeights(), m_Constant(&values)))
    return success();
  for (auto [i, v] : llvm::enumerate(values.getValues<APInt>())) {
    int64_t w = v.getSExtValue();
    if (w < -1 || w > 1)
      return emitOpError() << "expects weights in {-1, 0, +1}, got " << w
                           << " at flat index " << i;
  }
  return success();
}

#define GET_OP_CLASSES
#include "Prom/Dialect/Prom/IR/PromOps.cpp.inc"
