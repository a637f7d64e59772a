//===- Elementwise.cpp - activations and broadcasting arithmetic ----------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cfloat>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

static Value clamp(GraphImporter &g, Value x, float lo, float hi) {
  OpBuilder &b = g.builder();
  return tosa::ClampOp::create(b, g.loc(), x.getType(), x,
                               b.getF32FloatAttr(lo), b.getF32FloatAttr(hi));
}

static Value mul(GraphImporter &g, Value x, Value y) {
  return g.multiply(x, y, x.getType());
}

/// Unary ops keep their input's layout.
template <typename Fn>
static LogicalResult unary(GraphImporter &g, const onnx::NodeProto &node,
                           Fn build) {
  Layout layout = g.layoutOf(node, 0);
  FailureOr<Value> x = g.valueInput(node, 0, layout);
  if (failed(x))
    return failure();
  FailureOr<Value> y = build(*x);
  if (failed(y))
    return failure();
  g.setOutput(node, 0, *y, layout);
  return success();
}

static LogicalResult importRelu(GraphImporter &g, const onnx::NodeProto &node) {
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    return clamp(g, x, 0.0f, FLT_MAX);
  });
}

/// Clip's bounds: attributes before opset 11, optional constant inputs after.
/// Clip's bounds: attributes (opset < 11), or inputs, each a constant or
/// a value computed at run time (tosa.maximum / tosa.minimum).
static LogicalResult importClip(GraphImporter &g, const onnx::NodeProto &node) {
  float lo = -FLT_MAX, hi = FLT_MAX;
  Value computed[3];
  if (g.opset() < 11) {
    lo = g.attrFloat(node, "min").value_or(lo);
    hi = g.attrFloat(node, "max").value_or(hi);
  } else {
    for (int i : {1, 2}) {
      if (!g.hasInput(node, i))
        continue;
      if (const OnnxConstant *bound = g.constantInput(node, i)) {
        if (!bound->isFloat() || bound->numElements() != 1)
          return g.fail("min and max must be float scalars");
        (i == 1 ? lo : hi) = bound->floats[0];
        continue;
      }
      FailureOr<Value> v = g.valueInput(node, i);
      if (failed(v))
        return failure();
      auto type = cast<RankedTensorType>(v->getType());
      if (!type.getElementType().isF32() || type.getNumElements() != 1)
        return g.fail("min and max must be float scalars");
      computed[i] = *v;
    }
  }
  if (lo > hi)
    return g.fail("min (" + std::to_string(lo) + ") is above max (" +
                  std::to_string(hi) + ")");
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    Value y = clamp(g, x, lo, hi);
    SmallVector<int64_t> ones(cast<RankedTensorType>(x.getType()).getRank(), 1);
    OpBuilder &b = g.builder();
    if (computed[1])
      y = tosa::MaximumOp::create(b, g.loc(), x.getType(), y,
                                  g.reshape(computed[1], ones));
    if (computed[2])
      y = tosa::MinimumOp::create(b, g.loc(), x.getType(), y,
                                  g.reshape(computed[2], ones));
    return y;
  });
}

/// clamp(alpha * x + beta, 0, 1).
static Value hardSigmoid(GraphImporter &g, Value x, float alpha, float beta) {
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  Value scaled = mul(g, x, g.scalar(alpha, rank));
  Value shifted = tosa::AddOp::create(g.builder(), g.loc(), x.getType(), scaled,
                                      g.scalar(beta, rank));
  return clamp(g, shifted, 0.0f, 1.0f);
}

static LogicalResult importHardSigmoid(GraphImporter &g,
                                       const onnx::NodeProto &node) {
  float alpha = g.attrFloat(node, "alpha").value_or(0.2f);
  float beta = g.attrFloat(node, "beta").value_or(0.5f);
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    return hardSigmoid(g, x, alpha, beta);
  });
}

static LogicalResult importHardSwish(GraphImporter &g,
                                     const onnx::NodeProto &node) {
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    return mul(g, x, hardSigmoid(g, x, 1.0f / 6.0f, 0.5f));
  });
}

static LogicalResult importSigmoid(GraphImporter &g,
                                   const onnx::NodeProto &node) {
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    return tosa::SigmoidOp::create(g.builder(), g.loc(), x.getType(), x)
        .getResult();
  });
}

/// max(x, alpha * x) for alpha <= 1; a select on the sign otherwise.
static LogicalResult importLeakyRelu(GraphImporter &g,
                                     const onnx::NodeProto &node) {
  float alpha = g.attrFloat(node, "alpha").value_or(0.01f);
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    Value scaled = mul(g, x, g.scalar(alpha, rank));
    OpBuilder &b = g.builder();
    if (alpha <= 1.0f)
      return tosa::MaximumOp::create(b, g.loc(), x.getType(), x, scaled)
          .getResult();
    return tosa::MinimumOp::create(b, g.loc(), x.getType(), x, scaled)
        .getResult();
  });
}

/// x for x > 0, alpha * (exp(x) - 1) otherwise: max(x, 0) plus
/// alpha * (exp(min(x, 0)) - 1).
static LogicalResult importElu(GraphImporter &g, const onnx::NodeProto &node) {
  float alpha = g.attrFloat(node, "alpha").value_or(1.0f);
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    OpBuilder &b = g.builder();
    Type type = x.getType();
    int64_t rank = cast<RankedTensorType>(type).getRank();
    Value negative = clamp(g, x, -FLT_MAX, 0.0f);
    Value expm1 = tosa::SubOp::create(
        b, g.loc(), type, tosa::ExpOp::create(b, g.loc(), type, negative),
        g.scalar(1.0f, rank));
    return tosa::AddOp::create(b, g.loc(), type, clamp(g, x, 0.0f, FLT_MAX),
                               mul(g, expm1, g.scalar(alpha, rank)))
        .getResult();
  });
}

/// One-operand TOSA ops with the same type in and out.
template <typename Op>
static LogicalResult importUnaryOp(GraphImporter &g,
                                   const onnx::NodeProto &node) {
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    return Op::create(g.builder(), g.loc(), x.getType(), x).getResult();
  });
}

/// 1 / rsqrt(x): TOSA has no square root.
static LogicalResult importSqrt(GraphImporter &g, const onnx::NodeProto &node) {
  return unary(g, node, [&](Value x) -> FailureOr<Value> {
    OpBuilder &b = g.builder();
    Value r = tosa::RsqrtOp::create(b, g.loc(), x.getType(), x);
    return tosa::ReciprocalOp::create(b, g.loc(), x.getType(), r).getResult();
  });
}

static LogicalResult importIdentity(GraphImporter &g,
                                    const onnx::NodeProto &node) {
  g.aliasOutput(node, 0, 0);
  return success();
}

/// Dropout in inference (or with ratio 0) is the identity; training mode
/// and the mask are refused rather than ignored.
static LogicalResult importDropout(GraphImporter &g,
                                   const onnx::NodeProto &node) {
  if (g.hasInput(node, 2)) {
    const OnnxConstant *training = g.constantInput(node, 2);
    if (!training || training->numElements() != 1)
      return g.fail("training_mode must be a constant scalar");
    const OnnxConstant *ratio = g.constantInput(node, 1);
    bool dropsNothing = ratio && ratio->numElements() == 1 && ratio->at(0) == 0;
    if (training->at(0) != 0 && !dropsNothing)
      return g.fail("training_mode = true is not supported (inference only)");
  }
  if (node.output_size() > 1 && !node.output(1).empty())
    return g.fail("the mask output is not supported");
  return importIdentity(g, node);
}

namespace {
enum class Arith { Add, Sub, Mul, Div, Pow, Max, Min, Sum, Mean };
} // namespace

/// Numpy-broadcasting arithmetic, two operands or (Max, Min, Sum, Mean)
/// any number, folded left to right. The result takes NHWC when a rank-4
/// operand already has it; every other operand is brought to the result's
/// rank (leading 1s) and layout, constants on the host.
static LogicalResult importArith(GraphImporter &g, const onnx::NodeProto &node,
                                 Arith kind) {
  bool variadic = kind == Arith::Max || kind == Arith::Min ||
                  kind == Arith::Sum || kind == Arith::Mean;
  int n = node.input_size();
  if (variadic && n == 1) {
    g.aliasOutput(node, 0, 0);
    return success();
  }
  if (n < 2 || (!variadic && n != 2))
    return g.fail("expects " + Twine(variadic ? "one or more" : "two") +
                  " operands");
  FailureOr<RankedTensorType> outType = g.outputType(node, 0);
  if (failed(outType))
    return failure();
  int64_t rank = outType->getRank();
  Layout layout = Layout::Onnx;
  for (int i = 0; i < n; ++i)
    if (rank == 4 && !g.constantInput(node, i) &&
        g.layoutOf(node, i) == Layout::NHWC)
      layout = Layout::NHWC;

  SmallVector<Value> operands;
  for (int i = 0; i < n; ++i) {
    if (const OnnxConstant *c = g.constantInput(node, i)) {
      OnnxConstant t = *c;
      if (!t.isFloat()) { // an integer exponent, say: compute in f32
        t.floats.clear();
        for (int64_t j = 0, e = t.numElements(); j < e; ++j)
          t.floats.push_back(float(t.at(j)));
        t.ints.clear();
        t.dtype = onnx::TensorProto_DataType_FLOAT;
      }
      if (kind == Arith::Div && i == 1) // x / c as x * (1 / c)
        for (float &v : t.floats)
          v = 1.0f / v;
      while (int64_t(t.shape.size()) < rank)
        t.shape.insert(t.shape.begin(), 1);
      operands.push_back(g.materialize(t, layout));
      continue;
    }
    FailureOr<std::vector<int64_t>> shape = g.inputShape(node, i);
    if (failed(shape))
      return failure();
    FailureOr<Value> v = g.valueInput(
        node, i, int64_t(shape->size()) == rank ? layout : Layout::Onnx);
    if (failed(v))
      return failure();
    if (int64_t(shape->size()) < rank) {
      std::vector<int64_t> full(rank - shape->size(), 1);
      full.insert(full.end(), shape->begin(), shape->end());
      *v = g.reshape(*v, full);
      if (layout == Layout::NHWC)
        *v = g.transpose(*v, Layout::NHWC);
    }
    operands.push_back(*v);
  }
  if (kind == Arith::Div && !g.constantInput(node, 1))
    operands[1] = tosa::ReciprocalOp::create(
        g.builder(), g.loc(), operands[1].getType(), operands[1]);

  OpBuilder &b = g.builder();
  Value result = operands[0];
  for (Value operand : ArrayRef(operands).drop_front()) {
    // Each step's type is the broadcast of its operands'.
    auto lhs = cast<RankedTensorType>(result.getType());
    auto rhs = cast<RankedTensorType>(operand.getType());
    SmallVector<int64_t> shape;
    for (auto [x, y] : llvm::zip(lhs.getShape(), rhs.getShape()))
      shape.push_back(x == 1 ? y : x);
    auto type = RankedTensorType::get(shape, outType->getElementType());
    switch (kind) {
    case Arith::Add:
    case Arith::Sum:
    case Arith::Mean:
      result = tosa::AddOp::create(b, g.loc(), type, result, operand);
      break;
    case Arith::Sub:
      result = tosa::SubOp::create(b, g.loc(), type, result, operand);
      break;
    case Arith::Mul:
    case Arith::Div:
      result = g.multiply(result, operand, type);
      break;
    case Arith::Pow:
      result = tosa::PowOp::create(b, g.loc(), type, result, operand);
      break;
    case Arith::Max:
      result = tosa::MaximumOp::create(b, g.loc(), type, result, operand);
      break;
    case Arith::Min:
      result = tosa::MinimumOp::create(b, g.loc(), type, result, operand);
      break;
    }
  }
  if (kind == Arith::Mean)
    result = mul(g, result, g.scalar(1.0f / float(n), rank));
  g.setOutput(node, 0, result, layout);
  return success();
}

void onnx_import::addElementwiseImporters(ImporterTable &table) {
  table["Relu"] = importRelu;
  table["Clip"] = importClip;
  table["HardSigmoid"] = importHardSigmoid;
  table["HardSwish"] = importHardSwish;
  table["Sigmoid"] = importSigmoid;
  table["Identity"] = importIdentity;
  table["Dropout"] = importDropout;
  table["Add"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Add);
  };
  table["Sub"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Sub);
  };
  table["Mul"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Mul);
  };
  table["Div"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Div);
  };
  table["Pow"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Pow);
  };
  table["Max"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Max);
  };
  table["Min"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Min);
  };
  table["Sum"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Sum);
  };
  table["Mean"] = [](GraphImporter &g, const onnx::NodeProto &n) {
    return importArith(g, n, Arith::Mean);
  };
  table["LeakyRelu"] = importLeakyRelu;
  table["Elu"] = importElu;
  table["Sqrt"] = importSqrt;
  table["Exp"] = importUnaryOp<tosa::ExpOp>;
  table["Log"] = importUnaryOp<tosa::LogOp>;
  table["Tanh"] = importUnaryOp<tosa::TanhOp>;
  table["Abs"] = importUnaryOp<tosa::AbsOp>;
  table["Neg"] = importUnaryOp<tosa::NegateOp>;
  table["Reciprocal"] = importUnaryOp<tosa::ReciprocalOp>;
  table["Floor"] = importUnaryOp<tosa::FloorOp>;
  table["Ceil"] = importUnaryOp<tosa::CeilOp>;
  table["Erf"] = importUnaryOp<tosa::ErfOp>;
}
