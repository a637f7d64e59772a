//===- Conv.cpp - Conv, ConvTranspose, BatchNormalization, Gemm, MatMul ---===//

#include "GraphImporter.h"
#include "Window.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

static OnnxConstant floats(std::vector<int64_t> shape, std::vector<float> v) {
  OnnxConstant t;
  t.shape = std::move(shape);
  t.dtype = onnx::TensorProto_DataType_FLOAT;
  t.floats = std::move(v);
  return t;
}

/// One TOSA convolution: dense (OHWI weights) or depthwise.
static Value emitConv(GraphImporter &g, Value x, const OnnxConstant &weights,
                      const std::vector<float> &bias, const Window &w,
                      bool depthwise, RankedTensorType outType,
                      StringRef name) {
  OpBuilder &b = g.builder();
  Value bt = g.materialize(floats({int64_t(bias.size())}, bias), Layout::Onnx,
                           (name + ".bias").str());
  auto pad = b.getDenseI64ArrayAttr(w.pad);
  auto stride = b.getDenseI64ArrayAttr(w.stride);
  auto dilation = b.getDenseI64ArrayAttr(w.dilation);
  auto acc = TypeAttr::get(b.getF32Type());
  if (!depthwise) {
    Value wt = g.materialize(transposeHost(weights, kToNHWC), Layout::Onnx,
                             (name + ".weight").str());
    return tosa::Conv2DOp::create(b, g.loc(), outType, x, wt, bt, pad, stride,
                                  dilation, acc);
  }
  // ONNX [C * M, 1, Kh, Kw] -> TOSA [Kh, Kw, C, M].
  int64_t c = cast<RankedTensorType>(x.getType()).getDimSize(3);
  int64_t m = weights.shape[0] / c;
  OnnxConstant reshaped = weights;
  reshaped.shape = {c, m, weights.shape[2], weights.shape[3]};
  OnnxConstant hwcm = transposeHost(reshaped, {2, 3, 0, 1});
  Value wt = g.materialize(hwcm, Layout::Onnx, (name + ".weight").str());
  return tosa::DepthwiseConv2DOp::create(b, g.loc(), outType, x, wt, bt, pad,
                                         stride, dilation, acc);
}

/// Input 2, the bias, or zeros for `channels` outputs when there is none.
static FailureOr<Value>
biasOrZeros(GraphImporter &g, const onnx::NodeProto &node, int64_t channels) {
  if (g.hasInput(node, 2))
    return g.valueInput(node, 2);
  return g.materialize(floats({channels}, std::vector<float>(channels, 0.0f)));
}

/// A Conv whose weights are computed, as in QDQ models where they are
/// DequantizeLinear(int8 constant): the weights are permuted in the IR.
static LogicalResult
importConvWithComputedWeights(GraphImporter &g, const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  FailureOr<std::vector<int64_t>> wShape = g.inputShape(node, 1);
  if (failed(in) || failed(wShape))
    return failure();
  if (in->size() != 4 || wShape->size() != 4)
    return g.fail("only 2-D convolutions of rank-4 NCHW inputs are supported");
  int64_t outC = (*wShape)[0], inCPerGroup = (*wShape)[1];
  int64_t group = g.attrInt(node, "group").value_or(1);
  bool depthwise = group != 1 && inCPerGroup == 1 && group == (*in)[1];
  if (group != 1 && !depthwise)
    return g.fail("grouped convolutions need constant weights");
  if (inCPerGroup * group != (*in)[1])
    return g.fail("weights do not match the input's channels");
  FailureOr<Window> w =
      readWindow(g, node, {(*in)[2], (*in)[3]}, {(*wShape)[2], (*wShape)[3]});
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  FailureOr<Value> x = g.valueInput(node, 0, Layout::NHWC);
  FailureOr<Value> weights = g.valueInput(node, 1);
  if (failed(w) || failed(outType) || failed(x) || failed(weights))
    return failure();
  FailureOr<Value> bias = biasOrZeros(g, node, outC);
  if (failed(bias))
    return failure();
  OpBuilder &b = g.builder();
  auto nhwcType = RankedTensorType::get(toNHWC(outType->getShape()),
                                        outType->getElementType());
  Value input = fitWindows(g, *x, *w);
  auto pad = b.getDenseI64ArrayAttr(w->pad);
  auto stride = b.getDenseI64ArrayAttr(w->stride);
  auto dilation = b.getDenseI64ArrayAttr(w->dilation);
  auto acc = TypeAttr::get(b.getF32Type());
  Value result;
  if (!depthwise) {
    // OIHW -> OHWI.
    result = tosa::Conv2DOp::create(b, g.loc(), nhwcType, input,
                                    g.permute(*weights, {0, 2, 3, 1}), *bias,
                                    pad, stride, dilation, acc);
  } else {
    // [C * M, 1, Kh, Kw] -> [Kh, Kw, C * M, 1] -> [Kh, Kw, C, M].
    int64_t c = (*in)[1];
    Value hwcm = g.reshape(g.permute(*weights, {2, 3, 0, 1}),
                           {(*wShape)[2], (*wShape)[3], c, outC / c});
    result = tosa::DepthwiseConv2DOp::create(b, g.loc(), nhwcType, input, hwcm,
                                             *bias, pad, stride, dilation, acc);
  }
  g.setOutput(node, 0, result, Layout::NHWC);
  return success();
}

static LogicalResult importConv(GraphImporter &g, const onnx::NodeProto &node) {
  const OnnxConstant *weights = g.constantInput(node, 1);
  if (!weights)
    return importConvWithComputedWeights(g, node);
  if (!weights->isFloat())
    return g.fail("weights must be float");
  if (weights->shape.size() != 4)
    return g.fail("only 2-D convolutions are supported");
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  if (failed(in))
    return failure();
  if (in->size() != 4)
    return g.fail("expects a rank-4 NCHW input");
  int64_t outC = weights->shape[0], inCPerGroup = weights->shape[1];
  int64_t group = g.attrInt(node, "group").value_or(1);
  if (group < 1 || inCPerGroup * group != (*in)[1] || outC % group != 0)
    return g.fail("weights [" + Twine(outC) + ", " + Twine(inCPerGroup) +
                  ", ...] with group " + Twine(group) + " do not match " +
                  Twine((*in)[1]) + " input channels");
  std::vector<float> bias(outC, 0.0f);
  if (g.hasInput(node, 2)) {
    const OnnxConstant *b = g.constantInput(node, 2);
    if (!b || !b->isFloat() || b->numElements() != outC)
      return g.fail("bias must be a float constant of " + Twine(outC) +
                    " values");
    bias = b->floats;
  }
  FailureOr<Window> w = readWindow(g, node, {(*in)[2], (*in)[3]},
                                   {weights->shape[2], weights->shape[3]});
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  FailureOr<Value> x = g.valueInput(node, 0, Layout::NHWC);
  if (failed(w) || failed(outType) || failed(x))
    return failure();
  auto nhwcType = RankedTensorType::get(toNHWC(outType->getShape()),
                                        outType->getElementType());
  Value input = fitWindows(g, *x, *w);
  std::string name = node.name().empty() ? node.output(0) : node.name();

  Value result;
  if (group == 1 || (inCPerGroup == 1 && group == (*in)[1])) {
    result = emitConv(g, input, *weights, bias, *w, group != 1, nhwcType, name);
  } else {
    // A grouped conv: one dense conv per group on its slice of channels.
    OpBuilder &b = g.builder();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t outCPerGroup = outC / group;
    SmallVector<Value> parts;
    for (int64_t k = 0; k < group; ++k) {
      SmallVector<int64_t> size(inType.getShape());
      size[3] = inCPerGroup;
      Value slice = tosa::SliceOp::create(
          b, g.loc(), RankedTensorType::get(size, inType.getElementType()),
          input, g.constShape({0, 0, 0, k * inCPerGroup}), g.constShape(size));
      OnnxConstant wk = *weights;
      wk.shape[0] = outCPerGroup;
      int64_t per = weights->numElements() / outC;
      wk.floats.assign(weights->floats.begin() + k * outCPerGroup * per,
                       weights->floats.begin() + (k + 1) * outCPerGroup * per);
      std::vector<float> bk(bias.begin() + k * outCPerGroup,
                            bias.begin() + (k + 1) * outCPerGroup);
      SmallVector<int64_t> partShape(nhwcType.getShape());
      partShape[3] = outCPerGroup;
      parts.push_back(
          emitConv(g, slice, wk, bk, *w, false,
                   RankedTensorType::get(partShape, nhwcType.getElementType()),
                   name + ".group" + std::to_string(k)));
    }
    result = tosa::ConcatOp::create(b, g.loc(), nhwcType, parts,
                                    b.getI32IntegerAttr(3));
  }
  g.setOutput(node, 0, result, Layout::NHWC);
  return success();
}

/// Reads the float values of a tosa.const (dense or dense_resource).
static std::optional<std::vector<float>> constValues(Value v) {
  auto cst = v.getDefiningOp<tosa::ConstOp>();
  if (!cst)
    return std::nullopt;
  ElementsAttr values = cst.getValues();
  if (auto dense = dyn_cast<DenseElementsAttr>(values)) {
    auto range = dense.getValues<float>();
    return std::vector<float>(range.begin(), range.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(values))
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      return std::vector<float>(data->begin(), data->end());
  return std::nullopt;
}

/// y = x * a[c] + s[c] folded into the convolution producing x, when
/// nothing else reads x: scale each output channel's weights and bias.
static bool foldIntoConv(GraphImporter &g, const onnx::NodeProto &node, Value x,
                         ArrayRef<float> a, ArrayRef<float> s) {
  Operation *conv = x.getDefiningOp();
  if (!conv || g.useCount(node.input(0)) != 1 || !x.use_empty() ||
      !isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(conv))
    return false;
  Value weightValue = conv->getOperand(1), biasValue = conv->getOperand(2);
  std::optional<std::vector<float>> w = constValues(weightValue);
  std::optional<std::vector<float>> bias = constValues(biasValue);
  if (!w || !bias || bias->size() != a.size())
    return false;
  // OHWI: the channel is the outermost index; [Kh, Kw, C, M]: the innermost
  // two, flattened, which is also the output channel's index.
  bool depthwise = isa<tosa::DepthwiseConv2DOp>(conv);
  size_t channels = a.size(), per = w->size() / channels;
  for (size_t i = 0; i < w->size(); ++i)
    (*w)[i] *= a[depthwise ? i % channels : i / per];
  for (size_t c = 0; c < channels; ++c)
    (*bias)[c] = (*bias)[c] * a[c] + s[c];
  OpBuilder::InsertionGuard guard(g.builder());
  g.builder().setInsertionPoint(conv);
  auto wType = cast<RankedTensorType>(weightValue.getType());
  OnnxConstant wt = floats(
      std::vector<int64_t>(wType.getShape().begin(), wType.getShape().end()),
      std::move(*w));
  conv->setOperand(1, g.materialize(wt, Layout::Onnx, "folded_bn.weight"));
  conv->setOperand(2, g.materialize(floats({int64_t(channels)}, *bias),
                                    Layout::Onnx, "folded_bn.bias"));
  return true;
}

/// BatchNormalization whose statistics are computed at run time:
/// (x - mean) * (scale / sqrt(var + epsilon)) + bias, per channel.
static LogicalResult
importComputedBatchNorm(GraphImporter &g, const onnx::NodeProto &node,
                        const OnnxConstant *const params[4]) {
  Layout layout = g.layoutOf(node, 0);
  FailureOr<Value> x = g.valueInput(node, 0, layout);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (type.getRank() < 2)
    return g.fail("expects an input of rank 2 or more");
  int64_t channelDim = layout == Layout::NHWC ? 3 : 1;
  int64_t channels = type.getDimSize(channelDim);
  std::vector<int64_t> shape(type.getRank(), 1);
  shape[channelDim] = channels;
  auto paramType = RankedTensorType::get(shape, type.getElementType());
  Value v[4];
  for (int i = 0; i < 4; ++i) {
    if (params[i]) {
      if (int64_t(params[i]->floats.size()) != channels)
        return g.fail("scale, bias, mean and variance need one value per "
                      "channel");
      v[i] = g.materialize(floats(shape, params[i]->floats));
      continue;
    }
    FailureOr<Value> p = g.valueInput(node, i + 1);
    if (failed(p))
      return failure();
    auto pType = cast<RankedTensorType>(p->getType());
    if (!pType.getElementType().isF32() || pType.getNumElements() != channels)
      return g.fail("scale, bias, mean and variance need one float per "
                    "channel");
    v[i] = g.reshape(*p, shape);
  }
  float epsilon = g.attrFloat(node, "epsilon").value_or(1e-5f);
  OpBuilder &b = g.builder();
  Location loc = g.loc();
  Value eps = g.scalar(epsilon, shape.size());
  Value inv = tosa::RsqrtOp::create(
      b, loc, paramType, tosa::AddOp::create(b, loc, paramType, v[3], eps));
  Value a = g.multiply(v[0], inv, paramType);
  Value centered = tosa::SubOp::create(b, loc, type, *x, v[2]);
  Value y =
      tosa::AddOp::create(b, loc, type, g.multiply(centered, a, type), v[1]);
  g.setOutput(node, 0, y, layout);
  return success();
}

static LogicalResult importBatchNorm(GraphImporter &g,
                                     const onnx::NodeProto &node) {
  // Inference only: training mode normalizes by the batch's statistics and
  // has more outputs; opsets 7 and 8 could also ask for statistics per
  // element (spatial = 0).
  if (g.attrInt(node, "training_mode").value_or(0) != 0)
    return g.fail("training_mode = 1 is not supported (inference only)");
  for (int i = 1; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      return g.fail("only the first output (inference mode) is supported");
  if (g.attrInt(node, "spatial").value_or(1) != 1)
    return g.fail("spatial = 0 is not supported");
  const OnnxConstant *params[4];
  bool constant = true;
  for (int i = 0; i < 4; ++i) {
    params[i] = g.constantInput(node, i + 1);
    if (params[i] && !params[i]->isFloat())
      return g.fail("scale, bias, mean and variance must be float");
    constant = constant && params[i];
  }
  if (!constant)
    return importComputedBatchNorm(g, node, params);
  float epsilon = g.attrFloat(node, "epsilon").value_or(1e-5f);
  size_t channels = params[0]->floats.size();
  std::vector<float> a(channels), s(channels);
  for (size_t c = 0; c < channels; ++c) {
    a[c] = params[0]->floats[c] / std::sqrt(params[3]->floats[c] + epsilon);
    s[c] = params[1]->floats[c] - params[2]->floats[c] * a[c];
  }
  Layout layout = g.layoutOf(node, 0);
  FailureOr<Value> x = g.valueInput(node, 0, layout);
  if (failed(x))
    return failure();
  if (layout == Layout::NHWC && foldIntoConv(g, node, *x, a, s)) {
    g.setOutput(node, 0, *x, Layout::NHWC);
    return success();
  }
  // Otherwise a per-channel multiply and add.
  auto type = cast<RankedTensorType>(x->getType());
  std::vector<int64_t> shape(type.getRank(), 1);
  shape[layout == Layout::NHWC ? 3 : 1] = channels;
  Value mul = g.multiply(*x, g.materialize(floats(shape, a)), type);
  Value add = tosa::AddOp::create(g.builder(), g.loc(), type, mul,
                                  g.materialize(floats(shape, s)));
  g.setOutput(node, 0, add, layout);
  return success();
}

/// `v` times the constant `factor` (v itself when that is 1).
static Value scaleBy(GraphImporter &g, Value v, float factor) {
  if (factor == 1.0f)
    return v;
  return g.multiply(
      v, g.scalar(factor, cast<RankedTensorType>(v.getType()).getRank()),
      v.getType());
}

/// y = alpha * A' * B' + beta * C, A' = A or A^T at run time, B' = B or B^T;
/// B is a constant (scaled by alpha on the host) or computed (QDQ:
/// DequantizeLinear of int8 weights), C a constant or computed.
static LogicalResult importGemm(GraphImporter &g, const onnx::NodeProto &node) {
  float alpha = g.attrFloat(node, "alpha").value_or(1.0f);
  float beta = g.attrFloat(node, "beta").value_or(1.0f);
  bool transA = g.attrInt(node, "transA").value_or(0);
  bool transB = g.attrInt(node, "transB").value_or(0);
  FailureOr<Value> a = g.valueInput(node, 0);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(a) || failed(outType))
    return failure();
  if (cast<RankedTensorType>(a->getType()).getRank() != 2)
    return g.fail("A must have rank 2");
  if (transA)
    *a = g.permute(*a, {1, 0});
  auto aType = cast<RankedTensorType>(a->getType());
  int64_t m = aType.getDimSize(0), k = aType.getDimSize(1),
          n = outType->getDimSize(1);
  std::string name = node.name().empty() ? node.output(0) : node.name();

  Value bValue;
  float productScale = 1.0f; // alpha, where B is not a constant
  if (const OnnxConstant *bConst = g.constantInput(node, 1)) {
    if (!bConst->isFloat() || bConst->shape.size() != 2)
      return g.fail("B must be a rank-2 float tensor");
    OnnxConstant bk = transB ? transposeHost(*bConst, {1, 0}) : *bConst;
    for (float &v : bk.floats)
      v *= alpha;
    bk.shape.insert(bk.shape.begin(), 1);
    bValue = g.materialize(bk, Layout::Onnx, name + ".weight");
  } else {
    productScale = alpha;
    FailureOr<Value> bv = g.valueInput(node, 1);
    if (failed(bv))
      return failure();
    bValue = *bv;
    if (transB)
      bValue = g.permute(bValue, {1, 0});
    bValue = g.reshape(bValue, {1, k, n});
  }
  if (cast<RankedTensorType>(bValue.getType()).getShape() !=
      ArrayRef<int64_t>{1, k, n})
    return g.fail("B does not match A's " + Twine(k) + " columns");
  OpBuilder &b = g.builder();
  Value product = tosa::MatMulOp::create(
      b, g.loc(), RankedTensorType::get({1, m, n}, b.getF32Type()),
      g.reshape(*a, {1, m, k}), bValue);
  Value result = scaleBy(g, g.reshape(product, {m, n}), productScale);
  if (g.hasInput(node, 2)) {
    Value c;
    if (const OnnxConstant *cConst = g.constantInput(node, 2)) {
      if (!cConst->isFloat())
        return g.fail("C must be float");
      OnnxConstant ck = *cConst;
      for (float &v : ck.floats)
        v *= beta;
      // Broadcast to rank 2 as numpy does: align trailing dimensions.
      while (ck.shape.size() < 2)
        ck.shape.insert(ck.shape.begin(), 1);
      c = g.materialize(ck, Layout::Onnx, name + ".bias");
    } else {
      FailureOr<std::vector<int64_t>> cShape = g.inputShape(node, 2);
      FailureOr<Value> cv = g.valueInput(node, 2);
      if (failed(cShape) || failed(cv))
        return failure();
      std::vector<int64_t> full = *cShape;
      while (full.size() < 2)
        full.insert(full.begin(), 1);
      c = scaleBy(g, g.reshape(*cv, full), beta);
    }
    result = tosa::AddOp::create(b, g.loc(), *outType, result, c);
  }
  g.setOutput(node, 0, result);
  return success();
}

/// numpy's matmul: 1-D operands gain a unit row (A) or column (B), batch
/// dimensions broadcast. A B without batch dimensions (a weight) folds A's
/// batch into its rows: one tosa.matmul of [1, batch * m, k] x [1, k, n].
static LogicalResult importMatMul(GraphImporter &g,
                                  const onnx::NodeProto &node) {
  FailureOr<Value> a = g.valueInput(node, 0);
  FailureOr<std::vector<int64_t>> bDims = g.inputShape(node, 1);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(a) || failed(bDims) || failed(outType))
    return failure();
  SmallVector<int64_t> aShape(cast<RankedTensorType>(a->getType()).getShape());
  SmallVector<int64_t> bShape(bDims->begin(), bDims->end());
  if (aShape.empty() || bShape.empty())
    return g.fail("operands must have rank 1 or more");
  if (aShape.size() == 1)
    aShape.insert(aShape.begin(), 1);
  if (bShape.size() == 1)
    bShape.push_back(1);
  int64_t m = aShape[aShape.size() - 2], k = aShape.back(), n = bShape.back();
  if (bShape[bShape.size() - 2] != k)
    return g.fail("A has " + Twine(k) + " columns, B " +
                  Twine(bShape[bShape.size() - 2]) + " rows");
  ArrayRef<int64_t> aBatch = ArrayRef(aShape).drop_back(2);
  ArrayRef<int64_t> bBatch = ArrayRef(bShape).drop_back(2);
  size_t rank = std::max(aBatch.size(), bBatch.size());
  SmallVector<int64_t> batch(rank, 1), aFull(rank, 1), bFull(rank, 1);
  llvm::copy(aBatch, aFull.end() - aBatch.size());
  llvm::copy(bBatch, bFull.end() - bBatch.size());
  int64_t aCount = 1, bCount = 1, count = 1;
  for (size_t d = 0; d < rank; ++d) {
    if (aFull[d] != bFull[d] && aFull[d] != 1 && bFull[d] != 1)
      return g.fail("batch dimensions " + Twine(aFull[d]) + " and " +
                    Twine(bFull[d]) + " do not broadcast");
    batch[d] = std::max(aFull[d], bFull[d]);
    aCount *= aFull[d];
    bCount *= bFull[d];
    count *= batch[d];
  }
  OpBuilder &b = g.builder();
  Type f32 = b.getF32Type();
  // Brings an operand's batch to the full one: [count, rows, cols].
  auto expand = [&](Value v, ArrayRef<int64_t> full, int64_t rows,
                    int64_t cols) {
    SmallVector<int64_t> shape(full), multiples;
    shape.append({rows, cols});
    v = g.reshape(v, shape);
    for (size_t d = 0; d < rank; ++d)
      multiples.push_back(batch[d] / full[d]);
    multiples.append({1, 1});
    if (llvm::any_of(multiples, [](int64_t x) { return x != 1; })) {
      SmallVector<int64_t> tiled(batch);
      tiled.append({rows, cols});
      v = tosa::TileOp::create(b, g.loc(), RankedTensorType::get(tiled, f32), v,
                               g.constShape(multiples));
    }
    return g.reshape(v, {count, rows, cols});
  };
  Value product;
  if (bCount == 1) {
    // A constant weight is materialized in its 3-D shape, where the
    // quantizer finds it.
    Value weight;
    if (const OnnxConstant *c = g.constantInput(node, 1); c && c->isFloat()) {
      OnnxConstant w = *c;
      w.shape = {1, k, n};
      weight = g.materialize(
          w, Layout::Onnx,
          (node.name().empty() ? node.output(0) : node.name()) + ".weight");
    } else {
      FailureOr<Value> bv = g.valueInput(node, 1);
      if (failed(bv))
        return failure();
      weight = g.reshape(*bv, {1, k, n});
    }
    product = tosa::MatMulOp::create(
        b, g.loc(), RankedTensorType::get({1, aCount * m, n}, f32),
        g.reshape(*a, {1, aCount * m, k}), weight);
  } else {
    FailureOr<Value> bv = g.valueInput(node, 1);
    if (failed(bv))
      return failure();
    product = tosa::MatMulOp::create(
        b, g.loc(), RankedTensorType::get({count, m, n}, f32),
        expand(*a, aFull, m, k), expand(*bv, bFull, k, n));
  }
  g.setOutput(node, 0, g.reshape(product, outType->getShape()));
  return success();
}

/// ConvTranspose onto tosa.transpose_conv2d: 2-D, one group, no dilation.
/// TOSA's out_pad is minus ONNX's leading pads; the trailing ones follow
/// from the output shape (output_padding, output_shape and auto_pad
/// included).
static LogicalResult importConvTranspose(GraphImporter &g,
                                         const onnx::NodeProto &node) {
  FailureOr<std::vector<int64_t>> in = g.inputShape(node, 0);
  FailureOr<std::vector<int64_t>> wShape = g.inputShape(node, 1);
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(in) || failed(wShape) || failed(outType))
    return failure();
  if (in->size() != 4 || wShape->size() != 4)
    return g.fail("only 2-D transposed convolutions of rank-4 NCHW inputs "
                  "are supported");
  if (g.attrInt(node, "group").value_or(1) != 1)
    return g.fail("only one group is supported");
  std::vector<int64_t> dilations =
      g.attrInts(node, "dilations").value_or(std::vector<int64_t>{1, 1});
  if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
    return g.fail("dilations are not supported");
  std::vector<int64_t> strides =
      g.attrInts(node, "strides").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> outputPadding =
      g.attrInts(node, "output_padding").value_or(std::vector<int64_t>{0, 0});
  std::vector<int64_t> pads =
      g.attrInts(node, "pads").value_or(std::vector<int64_t>{0, 0, 0, 0});
  if (strides.size() != 2 || outputPadding.size() != 2 || pads.size() != 4)
    return g.fail("strides, output_padding and pads must be 2-D");
  int64_t inC = (*wShape)[0], outC = (*wShape)[1];
  if (inC != (*in)[1])
    return g.fail("weights do not match the input's channels");
  ArrayRef<int64_t> out = outType->getShape();
  std::string autoPad = g.attrString(node, "auto_pad").value_or("NOTSET");
  bool givenShape = g.attrInts(node, "output_shape").has_value();
  int64_t outPad[4]; // top, bottom, left, right
  for (int d = 0; d < 2; ++d) {
    int64_t full =
        strides[d] * ((*in)[2 + d] - 1) + outputPadding[d] + (*wShape)[2 + d];
    int64_t total = full - out[2 + d];
    int64_t begin = pads[d];
    if (autoPad == "SAME_LOWER")
      begin = total - total / 2;
    else if (autoPad == "SAME_UPPER" || givenShape)
      begin = total / 2;
    else if (autoPad == "VALID")
      begin = 0;
    // TOSA: out = (in - 1) * stride + out_pad_begin + out_pad_end + k.
    outPad[2 * d] = -begin;
    outPad[2 * d + 1] = out[2 + d] -
                        (strides[d] * ((*in)[2 + d] - 1) + (*wShape)[2 + d]) +
                        begin;
  }

  OpBuilder &b = g.builder();
  std::string name = node.name().empty() ? node.output(0) : node.name();
  // ONNX [IC, OC, KH, KW] -> TOSA [OC, KH, KW, IC].
  Value weight;
  if (const OnnxConstant *w = g.constantInput(node, 1)) {
    if (!w->isFloat())
      return g.fail("weights must be float");
    weight = g.materialize(transposeHost(*w, {1, 2, 3, 0}), Layout::Onnx,
                           name + ".weight");
  } else {
    FailureOr<Value> computed = g.valueInput(node, 1);
    if (failed(computed))
      return failure();
    weight = g.permute(*computed, {1, 2, 3, 0});
  }
  FailureOr<Value> bias = biasOrZeros(g, node, outC);
  FailureOr<Value> x = g.valueInput(node, 0, Layout::NHWC);
  if (failed(bias) || failed(x))
    return failure();
  auto nhwcType = RankedTensorType::get(toNHWC(out), b.getF32Type());
  Value result = tosa::TransposeConv2DOp::create(
      b, g.loc(), nhwcType, *x, weight, *bias, b.getDenseI64ArrayAttr(outPad),
      b.getDenseI64ArrayAttr(strides), TypeAttr::get(b.getF32Type()));
  g.setOutput(node, 0, result, Layout::NHWC);
  return success();
}

void onnx_import::addConvImporters(ImporterTable &table) {
  table["Conv"] = importConv;
  table["BatchNormalization"] = importBatchNorm;
  table["Gemm"] = importGemm;
  table["MatMul"] = importMatMul;
  table["ConvTranspose"] = importConvTranspose;
}
