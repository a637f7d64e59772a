//===- PromConvOps.cpp - convolution, matmul and pooling verifiers --------===//

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "VerifyUtils.h"

#include "Prom/Utils/FixedPoint.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::detail;

namespace {
/// The geometry every prom window op (convolution, pooling) shares.
struct WindowGeometry {
  ArrayRef<int64_t> in, kernel, out; // [N, H, W, C] and [Kh, Kw]
  ArrayRef<int64_t> stride, pad, dilation;
};
} // namespace

/// Checks one spatial output dimension against the window arithmetic.
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
    return op->emitOpError()
           << "expects output " << dimName << " " << expected << " (input "
           << in << ", kernel " << kernel << ", stride " << stride << ", pad "
           << padLo << "+" << padHi << ", dilation " << dilation << "), got "
           << out;
  return success();
}

static LogicalResult verifyWindow(Operation *op, const WindowGeometry &g) {
  if (failed(verifyArray(op, "stride", g.stride, 2, 1)) ||
      failed(verifyArray(op, "pad", g.pad, 4, 0)) ||
      failed(verifyArray(op, "dilation", g.dilation, 2, 1)))
    return failure();
  if (!ShapedType::isDynamic(g.in[0]) && !ShapedType::isDynamic(g.out[0]) &&
      g.in[0] != g.out[0])
    return op->emitOpError()
           << "expects output batch " << g.in[0] << ", got " << g.out[0];
  if (failed(verifyOutputExtent(op, "height", g.in[1], g.kernel[0], g.stride[0],
                                g.pad[0], g.pad[1], g.dilation[0], g.out[1])) ||
      failed(verifyOutputExtent(op, "width", g.in[2], g.kernel[1], g.stride[1],
                                g.pad[2], g.pad[3], g.dilation[1], g.out[2])))
    return failure();
  return success();
}

/// Bias, if present, has one element per output channel.
static LogicalResult verifyBias(Operation *op, Value bias, int64_t outC) {
  if (!bias)
    return success();
  int64_t n = cast<RankedTensorType>(bias.getType()).getDimSize(0);
  if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(outC) && n != outC)
    return op->emitOpError() << "expects bias of " << outC
                             << " elements (one per output channel), got " << n;
  return success();
}

/// Channel and group structure of a convolution with OHWI weights.
static LogicalResult verifyConvChannels(Operation *op, ArrayRef<int64_t> in,
                                        ArrayRef<int64_t> w,
                                        ArrayRef<int64_t> out, int64_t groups,
                                        size_t numWeightScales) {
  if (groups < 1)
    return op->emitOpError() << "expects 'groups' >= 1, got " << groups;
  int64_t inC = in[3], outC = w[0];
  if (!ShapedType::isDynamic(inC)) {
    if (inC % groups != 0)
      return op->emitOpError()
             << "expects input channels (" << inC
             << ") to be divisible by groups (" << groups << ")";
    if (!ShapedType::isDynamic(w[3]) && w[3] * groups != inC)
      return op->emitOpError()
             << "expects weights of shape [Co, Kh, Kw, Ci / groups] with "
                "Ci / groups = "
             << inC / groups << ", got " << w[3];
  }
  if (ShapedType::isDynamic(outC))
    return success();
  if (outC % groups != 0)
    return op->emitOpError()
           << "expects output channels (" << outC
           << ") to be divisible by groups (" << groups << ")";
  if (static_cast<int64_t>(numWeightScales) != outC)
    return op->emitOpError() << "expects one weight scale per output channel ("
                             << outC << "), got " << numWeightScales;
  if (!ShapedType::isDynamic(out[3]) && out[3] != outC)
    return op->emitOpError()
           << "expects " << outC << " output channels (weights dim 0), got "
           << out[3];
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  ArrayRef<int64_t> w = getWeights().getType().getShape();
  ArrayRef<int64_t> out = getOutput().getType().getShape();
  if (failed(
          verifyWindow(*this, {getInput().getType().getShape(), w.slice(1, 2),
                               out, getStride(), getPad(), getDilation()})) ||
      failed(verifyConvChannels(*this, getInput().getType().getShape(), w, out,
                                getGroups(), getWeightScales().size())) ||
      failed(verifyBias(*this, getBias(), w[0])))
    return failure();
  return verifyRequantization(
      *this, getInputScale().convertToFloat(), getInputZp(), getWeightScales(),
      getOutputScale().convertToFloat(), getOutputZp(), getClamp());
}

//===----------------------------------------------------------------------===//
// TernaryConv2DOp
//===----------------------------------------------------------------------===//

LogicalResult TernaryConv2DOp::verify() {
  ArrayRef<int64_t> w = getWeights().getType().getShape();
  ArrayRef<int64_t> out = getOutput().getType().getShape();
  if (w[1] != 1 || w[2] != 1)
    return emitOpError() << "expects 1x1 weights of shape [Co, 1, 1, Ci], got "
                         << w[1] << "x" << w[2] << " kernel";
  static constexpr int64_t kNoPad[] = {0, 0, 0, 0};
  static constexpr int64_t kNoDilation[] = {1, 1};
  if (failed(
          verifyWindow(*this, {getInput().getType().getShape(), w.slice(1, 2),
                               out, getStride(), kNoPad, kNoDilation})) ||
      failed(verifyConvChannels(*this, getInput().getType().getShape(), w, out,
                                /*groups=*/1, getWeightScales().size())) ||
      failed(verifyBias(*this, getBias(), w[0])) ||
      failed(verifyRequantization(*this, getInputScale().convertToFloat(),
                                  getInputZp(), getWeightScales(),
                                  getOutputScale().convertToFloat(),
                                  getOutputZp(), getClamp())))
    return failure();

  // Ternary-ness is part of the op's meaning; check it whenever the weights
  // are known.
  DenseIntElementsAttr values;
  if (!matchPattern(getWeights(), m_Constant(&values)))
    return success();
  for (auto [i, v] : llvm::enumerate(values.getValues<APInt>())) {
    int64_t weight = v.getSExtValue();
    if (weight < -1 || weight > 1)
      return emitOpError() << "expects weights in {-1, 0, +1}, got " << weight
                           << " at flat index " << i;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// FullyConnectedOp
//===----------------------------------------------------------------------===//

LogicalResult FullyConnectedOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> w = getWeights().getType().getShape();
  ArrayRef<int64_t> out = getOutput().getType().getShape();
  if (!ShapedType::isDynamic(in[1]) && !ShapedType::isDynamic(w[1]) &&
      in[1] != w[1])
    return emitOpError() << "expects weights of shape [out_features, " << in[1]
                         << "], got " << w[1] << " in_features";
  if (!ShapedType::isDynamic(in[0]) && !ShapedType::isDynamic(out[0]) &&
      in[0] != out[0])
    return emitOpError() << "expects " << in[0] << " output rows, got "
                         << out[0];
  if (!ShapedType::isDynamic(w[0])) {
    if (!ShapedType::isDynamic(out[1]) && out[1] != w[0])
      return emitOpError() << "expects " << w[0]
                           << " output features (weights dim 0), got "
                           << out[1];
    if (static_cast<int64_t>(getWeightScales().size()) != w[0])
      return emitOpError() << "expects one weight scale per output feature ("
                           << w[0] << "), got " << getWeightScales().size();
  }
  if (failed(verifyBias(*this, getBias(), w[0])))
    return failure();
  return verifyRequantization(
      *this, getInputScale().convertToFloat(), getInputZp(), getWeightScales(),
      getOutputScale().convertToFloat(), getOutputZp(), getClamp());
}

//===----------------------------------------------------------------------===//
// AvgPool2DOp
//===----------------------------------------------------------------------===//

LogicalResult AvgPool2DOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> out = getOutput().getType().getShape();
  static constexpr int64_t kNoDilation[] = {1, 1};
  if (failed(verifyArray(*this, "kernel", getKernel(), 2, 1)) ||
      failed(verifyWindow(
          *this, {in, getKernel(), out, getStride(), getPad(), kNoDilation})))
    return failure();
  if (!ShapedType::isDynamic(in[3]) && !ShapedType::isDynamic(out[3]) &&
      in[3] != out[3])
    return emitOpError() << "expects " << in[3] << " output channels, got "
                         << out[3];
  float inputScale = getInputScale().convertToFloat();
  float outputScale = getOutputScale().convertToFloat();
  if (failed(verifyScale(*this, "input_scale", inputScale)) ||
      failed(verifyScale(*this, "output_scale", outputScale)) ||
      failed(verifyZeroPoint(*this, "input_zp", getInputZp())) ||
      failed(verifyZeroPoint(*this, "output_zp", getOutputZp())) ||
      failed(verifyClamp(*this, getClamp())))
    return failure();
  // The largest scale is that of the smallest divisor, 1.
  double scale = double(inputScale) / double(outputScale);
  if (!computeFixedPointScale(scale))
    return emitOpError() << "expects input_scale / output_scale below 2^30, "
                            "got "
                         << scale;
  return success();
}
