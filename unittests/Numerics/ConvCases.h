//===- ConvCases.h - random convolution cases for differential tests -*- C++
//-*-===//
//
// Random geometry and data for prom.conv2d / prom.ternary_conv2d cases (and
// prom.add's quantization) and their MLIR spelling, shared by the reference
// and the optimized-kernel differential tests.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UNITTESTS_NUMERICS_CONVCASES_H
#define PROM_UNITTESTS_NUMERICS_CONVCASES_H

#include "Differential.h"
#include "Golden.h"

#include <string>

namespace differential {

/// One line naming the geometry and zero points of `c`.
std::string describe(const golden::Conv &c);

/// Fills everything but the geometry of `c`: data (weights only if still
/// empty), zero points, scales, bias, clamp.
void randomizeConvData(Random &rng, golden::Conv &c);

/// Random window geometry whose window fits the padded input.
void randomizeWindow(Random &rng, golden::Conv &c);

/// Random 1x1 geometry: batch 1-2, H and W up to `maxSide`, stride 1/2,
/// 1 to `maxChannels` input channels (sometimes 64-320; with `extremes`
/// sometimes 1024-2048); the caller sets the output channels.
void randomizePointwise(Random &rng, golden::Conv &c, int maxSide,
                        int maxChannels, bool extremes);

/// The accumulator's worst case: every input at one end of the int8 range,
/// the zero point at the other.
void setWorstCaseInput(Random &rng, golden::Conv &c);

/// Adds `c` as a case of `opName`, expected to equal golden::conv2d; with
/// `weightsValue` (an MLIR literal) the weights are a constant, otherwise
/// an argument.
void addConvCase(Batch &batch, const golden::Conv &c, const std::string &opName,
                 const std::string &weightsValue);

/// Random ternary 1x1 cases; with `extremes`, the worst cases for an
/// accumulator: inputs all at one end of the int8 range, weights all +1 or
/// all -1, zero points at the other end, and long reductions.
void addTernaryCases(Batch &batch, Random &rng, int count, bool extremes);

/// Random zero points, scales (the output's within 0.5-3x the larger
/// input's) and clamp of a prom.add.
void randomizeAddQuantization(Random &rng, golden::Add &a);

/// `a` (inputs of `shape`) as a function of one prom.add, its golden output
/// expected.
void addAddCase(Batch &batch, const golden::Add &a,
                const std::vector<int64_t> &shape, const std::string &label);

} // namespace differential

#endif // PROM_UNITTESTS_NUMERICS_CONVCASES_H
