//===- PromHasteOps.cpp - verifiers of the HASTE ops ----------------------===//

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::prom;

/// Codes are i64 bit sets, one bit per hyperplane.
static constexpr int64_t kMaxHyperplanes = 63;

static bool knownAndDiffer(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

LogicalResult HasteBucketsOp::verify() {
  auto input = getInput().getType();
  auto planes = getHyperplanes().getType();
  if (knownAndDiffer(input.getDimSize(0), 1))
    return emitOpError() << "expects one image (N == 1), got N = "
                         << input.getDimSize(0);
  int64_t l = planes.getDimSize(0);
  if (!ShapedType::isDynamic(l) && (l < 1 || l > kMaxHyperplanes))
    return emitOpError() << "expects 1 to " << kMaxHyperplanes
                         << " hyperplanes, got " << l;
  int64_t h = input.getDimSize(1), w = input.getDimSize(2);
  int64_t p = planes.getDimSize(1);
  if (!ShapedType::isDynamic(h) && !ShapedType::isDynamic(w) &&
      !ShapedType::isDynamic(p) && p < h * w)
    return emitOpError() << "expects hyperplanes of at least H * W = " << h * w
                         << " entries, got " << p;
  if (knownAndDiffer(getBuckets().getType().getDimSize(0), input.getDimSize(3)))
    return emitOpError() << "expects one bucket per input channel ("
                         << input.getDimSize(3) << "), got "
                         << getBuckets().getType().getDimSize(0);
  DenseIntElementsAttr values;
  if (matchPattern(getHyperplanes(), m_Constant(&values)))
    for (APInt v : values.getValues<APInt>())
      if (int64_t e = v.getSExtValue(); e < -1 || e > 1)
        return emitOpError() << "expects hyperplane entries in {-1, 0, 1}, "
                                "found "
                             << e;
  return success();
}

LogicalResult MergeChannelsOp::verify() {
  auto input = getInput().getType();
  auto output = getOutput().getType();
  std::optional<uint64_t> along = getDimension();
  if (along && *along >= 4)
    return emitOpError() << "expects a dimension in [0, 4), got " << *along;
  int64_t merged = getMergedDimension();
  if (knownAndDiffer(getBuckets().getType().getDimSize(0),
                     input.getDimSize(merged)))
    return emitOpError() << "expects one bucket per channel ("
                         << input.getDimSize(merged) << "), got "
                         << getBuckets().getType().getDimSize(0);
  for (int64_t d = 0; d < 4; ++d)
    if (d != merged &&
        knownAndDiffer(input.getDimSize(d), output.getDimSize(d)))
      return emitOpError() << "expects output dimension " << d << " to be "
                           << input.getDimSize(d) << ", got "
                           << output.getDimSize(d);
  Type in = input.getElementType(), out = output.getElementType();
  bool widened = in.isInteger() && out.isInteger() &&
                 out.getIntOrFloatBitWidth() > in.getIntOrFloatBitWidth();
  if (in != out && !widened)
    return emitOpError() << "expects the output element type of the input ("
                         << in << ") or a wider integer, got " << out;
  if (!output.isDynamicDim(merged))
    return emitOpError() << "expects a dynamic merged channel dimension "
                            "(the bucket count is known at run time only)";
  return success();
}
