//===- LayerInfo.h - what kind of CNN layer an op is ------------*- C++ -*-===//
//
// Passes that treat layers by kind (the bit-width plan, the cost report)
// recognise them here, whichever dialect the layer arrives in.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_TRANSFORMS_LAYERINFO_H
#define PROM_TRANSFORMS_LAYERINFO_H

#include "Prom/Dialect/Prom/IR/PromAttrs.h"

#include "mlir/IR/Operation.h"

#include <optional>
#include <string>

namespace mlir {
namespace prom {

enum class LayerKind {
  /// 1x1, ungrouped convolution: the candidate for ternary weights.
  PointwiseConv,
  /// Any other dense (ungrouped) convolution.
  Conv,
  /// One filter per channel.
  DepthwiseConv,
  /// Matrix multiplication / fully connected (the classifier).
  MatMul,
};

StringRef stringifyLayerKind(LayerKind kind);

/// The kind of a float layer not yet quantized by prom (TOSA or linalg named
/// ops), or nullopt for anything else.
std::optional<LayerKind> classifyFloatLayer(Operation *op);

/// The layer's name: the first name found in its location (`loc("conv1")`,
/// as the ONNX importer sets it), or "" when it has none.
std::string getLayerName(Operation *op);

/// The discardable attribute that carries a layer's plan
/// (`#prom.bitwidth<...>`, set by prom-assign-bitwidths).
inline constexpr StringLiteral kBitWidthAttrName = "prom.bitwidth";

/// The layer's planned weight representation, if it has one.
std::optional<BitWidth> getPlannedBitWidth(Operation *op);

/// Bytes a layer's weights take when stored as `bitWidth`: 4 per float
/// weight; 1 per int8 weight and 2 bits per ternary weight (packed, rounded
/// up to a byte for the layer), plus one f32 scale per output channel.
/// Biases are left out (the same 4 bytes per channel in every form).
/// nullopt when the weights' or the result's shape is not static.
std::optional<int64_t> getWeightStorageBytes(Operation *layer,
                                             BitWidth bitWidth);

/// A measured sensitivity of a pointwise layer to ternary weights: the SQNR
/// (dB) of its output with ternary vs float weights, recorded by
/// prom-ternary-sensitivity as an f32 attribute.
inline constexpr StringLiteral kTernarySqnrAttrName = "prom.ternary_sqnr";

} // namespace prom
} // namespace mlir

#endif // PROM_TRANSFORMS_LAYERINFO_H
