//===- PromOps.cpp - verifiers of quantization and elementwise ops --------===//

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "VerifyUtils.h"

#include "Prom/Utils/FixedPoint.h"

#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::detail;

//===----------------------------------------------------------------------===//
// Float arrays (scales)
//===----------------------------------------------------------------------===//

// Scales print as `[a, b, ...]` with the shortest decimal form that parses
// back to the same value (DenseArrayAttr's own format keeps only 7 digits,
// which changes f32 and f64 scales and therefore requantized results).

template <typename AttrTy, typename T>
static ParseResult parseFloatArrayImpl(OpAsmParser &parser, AttrTy &attr,
                                       const llvm::fltSemantics &semantics) {
  SmallVector<T> values;
  auto parseOne = [&]() -> ParseResult {
    APFloat value(semantics);
    if (parser.parseFloat(semantics, value))
      return failure();
    values.push_back(static_cast<T>(value.convertToDouble()));
    return success();
  };
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square, parseOne))
    return failure();
  attr = AttrTy::get(parser.getContext(), values);
  return success();
}

template <typename AttrTy>
static void printFloatArrayImpl(OpAsmPrinter &printer, AttrTy attr) {
  printer << '[';
  llvm::interleaveComma(attr.asArrayRef(), printer,
                        [&](auto v) { printer.printFloat(APFloat(v)); });
  printer << ']';
}

static ParseResult parseFloatArray(OpAsmParser &parser,
                                   DenseF32ArrayAttr &attr) {
  return parseFloatArrayImpl<DenseF32ArrayAttr, float>(
      parser, attr, APFloat::IEEEsingle());
}
static ParseResult parseFloatArray(OpAsmParser &parser,
                                   DenseF64ArrayAttr &attr) {
  return parseFloatArrayImpl<DenseF64ArrayAttr, double>(
      parser, attr, APFloat::IEEEdouble());
}
static void printFloatArray(OpAsmPrinter &printer, Operation *,
                            DenseF32ArrayAttr attr) {
  printFloatArrayImpl(printer, attr);
}
static void printFloatArray(OpAsmPrinter &printer, Operation *,
                            DenseF64ArrayAttr attr) {
  printFloatArrayImpl(printer, attr);
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

/// Scales, zero points and axis of prom.quantize / prom.dequantize.
static LogicalResult verifyAffineQuantization(Operation *op, ShapedType type,
                                              ArrayRef<float> scales,
                                              ArrayRef<int32_t> zeroPoints,
                                              std::optional<int64_t> axis) {
  if (scales.size() != zeroPoints.size())
    return op->emitOpError()
           << "expects 'scales' and 'zero_points' of equal length, got "
           << scales.size() << " and " << zeroPoints.size();
  if (failed(verifyAxisCount(op, type, scales.size(), axis)) ||
      failed(verifyScales(op, "scales", scales)))
    return failure();
  for (auto [i, zp] : llvm::enumerate(zeroPoints))
    if (zp < kI8Min || zp > kI8Max)
      return op->emitOpError()
             << "expects every zero point in [" << kI8Min << ", " << kI8Max
             << "], got " << zp << " at index " << i;
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyAffineQuantization(*this, getInput().getType(), getScales(),
                                  getZeroPoints(), getAxis());
}

LogicalResult DequantizeOp::verify() {
  return verifyAffineQuantization(*this, getInput().getType(), getScales(),
                                  getZeroPoints(), getAxis());
}

//===----------------------------------------------------------------------===//
// RescaleOp
//===----------------------------------------------------------------------===//

LogicalResult RescaleOp::verify() {
  if (failed(verifyAxisCount(*this, getInput().getType(), getScales().size(),
                             getAxis())))
    return failure();
  // An i8 input's zero point is an i8 value; an i32 accumulator's is free.
  if (getInput().getType().getElementType().isInteger(8) &&
      failed(verifyZeroPoint(*this, "input_zp", getInputZp())))
    return failure();
  if (failed(verifyZeroPoint(*this, "output_zp", getOutputZp())) ||
      failed(verifyClamp(*this, getClamp())))
    return failure();
  for (auto [i, scale] : llvm::enumerate(getScales()))
    if (!computeFixedPointScale(scale))
      return emitOpError() << "expects every scale positive and below 2^30, "
                              "got "
                           << scale << " at index " << i;
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

LogicalResult AddOp::verify() {
  float lhsScale = getLhsScale().convertToFloat();
  float rhsScale = getRhsScale().convertToFloat();
  float outputScale = getOutputScale().convertToFloat();
  if (failed(verifyScale(*this, "lhs_scale", lhsScale)) ||
      failed(verifyScale(*this, "rhs_scale", rhsScale)) ||
      failed(verifyScale(*this, "output_scale", outputScale)) ||
      failed(verifyZeroPoint(*this, "lhs_zp", getLhsZp())) ||
      failed(verifyZeroPoint(*this, "rhs_zp", getRhsZp())) ||
      failed(verifyZeroPoint(*this, "output_zp", getOutputZp())) ||
      failed(verifyClamp(*this, getClamp())))
    return failure();
  double ratios[] = {double(lhsScale) / double(outputScale),
                     double(rhsScale) / double(outputScale)};
  if (!computeFixedPointScales(ratios))
    return emitOpError() << "expects input scales below 2^30 times "
                            "output_scale, got ratios "
                         << ratios[0] << " and " << ratios[1];
  return success();
}

//===----------------------------------------------------------------------===//
// ClampOp, TableOp
//===----------------------------------------------------------------------===//

LogicalResult ClampOp::verify() {
  int32_t bounds[] = {getMin(), getMax()};
  return verifyClamp(*this, ArrayRef<int32_t>(bounds));
}

LogicalResult TableOp::verify() {
  if (getTable().size() != 256)
    return emitOpError() << "expects a table of 256 entries (one per i8 "
                            "value), got "
                         << getTable().size();
  return success();
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "expects at least one input";
  auto outType = dyn_cast<RankedTensorType>(getOutput().getType());
  if (!outType)
    return emitOpError() << "expects a ranked result";
  int64_t rank = outType.getRank(), axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "expects 'axis' in [0, " << rank << "), got "
                         << axis;
  int64_t total = 0;
  bool totalKnown = true;
  for (auto [i, input] : llvm::enumerate(getInputs())) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type || type.getRank() != rank)
      return emitOpError() << "expects every input of rank " << rank
                           << ", input " << i << " is " << input.getType();
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d), outSize = outType.getDimSize(d);
      if (d == axis)
        continue;
      if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(outSize) &&
          size != outSize)
        return emitOpError() << "expects input " << i << " to match the "
                             << "result in dimension " << d << " (" << outSize
                             << "), got " << size;
    }
    if (type.isDynamicDim(axis))
      totalKnown = false;
    else
      total += type.getDimSize(axis);
  }
  if (totalKnown && !outType.isDynamicDim(axis) &&
      outType.getDimSize(axis) != total)
    return emitOpError() << "expects result dimension " << axis
                         << " to be the sum of the inputs' (" << total
                         << "), got " << outType.getDimSize(axis);
  return success();
}

#define GET_OP_CLASSES
#include "Prom/Dialect/Prom/IR/PromOps.cpp.inc"
