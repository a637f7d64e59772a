//===- PromToLinalg.h - reference lowering of prom ops ----------*- C++ -*-===//

#ifndef PROM_CONVERSION_PROMTOLINALG_PROMTOLINALG_H
#define PROM_CONVERSION_PROMTOLINALG_PROMTOLINALG_H

namespace mlir {
class RewritePatternSet;
namespace prom {

/// Patterns lowering prom.conv2d, prom.ternary_conv2d, prom.fully_connected.
void populateLowerPromConvolutionPatterns(RewritePatternSet &patterns);
/// Patterns lowering prom.avg_pool2d.
void populateLowerPromPoolingPatterns(RewritePatternSet &patterns);
/// Patterns lowering quantize, dequantize, rescale, add, clamp, table, concat.
void populateLowerPromElementwisePatterns(RewritePatternSet &patterns);
/// Patterns lowering the HASTE ops haste_buckets and merge_channels to scf
/// loops.
void populateLowerPromHastePatterns(RewritePatternSet &patterns);
/// The patterns lowering merge_channels (part of the above).
void populateLowerMergeChannelsPatterns(RewritePatternSet &patterns);

/// All of the above: the reference lowering of every prom op.
void populatePromToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace prom
} // namespace mlir

#endif // PROM_CONVERSION_PROMTOLINALG_PROMTOLINALG_H
