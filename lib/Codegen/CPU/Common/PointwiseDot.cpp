//===- PointwiseDot.cpp - 1x1 convolutions as dot-product kernels ---------===//
//
// Register-tiled kernels for pointwise int8 and ternary convolutions built
// around the target's integer dot-product instruction (see the pass
// description in Passes.td for the arithmetic and the forms).
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/DotInstruction.h"
#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/PointwiseOperands.h"
#include "Prom/Codegen/CPU/Common/RegisterTile.h"
#include "Prom/Codegen/CPU/Common/Requantization.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <numeric>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMPOINTWISEDOT
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// The operand geometry of a kernel: `lanes` i32 accumulators per vector
/// (output channels per block) of its instruction, which sums `group`
/// input channels into each (DotInstruction).
struct KernelShape {
  const DotInstruction &instruction;
  int64_t lanes, group;

  KernelShape(KernelForm form, int64_t lanes)
      : instruction(getDotInstruction(form)), lanes(lanes),
        group(instruction.group) {}
  Type element(Builder &b) const {
    return b.getIntegerType(instruction.elementBits);
  }
  /// Partial sums in 16-bit lanes, widened into the accumulators once per
  /// chunk of steps (vpmaddubsw).
  bool narrowSums() const { return instruction.accumulatorBits == 16; }
};

/// The kernel's schedule, as prom-select-kernels chose it.
struct Schedule {
  std::pair<int64_t, int64_t> tile; // pixels x blocks
  int64_t chunkBytes;               // of u per chunk of pixels
};

/// The constants and tensors one convolution's tiles share.
struct KernelOperands {
  KernelShape k;
  int64_t pixels, cout, reductionSteps;
  int64_t s16Steps;         // narrowSums: steps summed in s16 before widening
  Value u;                  // [pixels, steps * group] activations, padded
  Value weights;            // [steps, blocks, lanes * group], packed
  ChannelConstants channel; // [blocks * lanes] i32 each
  Value zeroPairs;          // narrowSums: a zero s16 accumulator
  Value ones;               // narrowSums: the widening's multipliers
};

/// One TP x TB tile at row `p0` of `ops.u` and block `b0`: the reduction,
/// then the requantization and the stores into `out` at pixel
/// `chunk0 + p0`.
Value emitTile(ImplicitLocOpBuilder &b, const KernelOperands &ops,
               const PointwiseConv &conv, Value out, Value chunk0, Value p0,
               int64_t np, Value b0, int64_t nb) {
  const KernelShape &k = ops.k;
  Type element = k.element(b), i32 = b.getI32Type();
  auto i32s = VectorType::get({k.lanes}, i32);
  auto packed = VectorType::get({k.lanes * k.group}, element);
  auto channelOf = [&](ImplicitLocOpBuilder &ib, int64_t j) -> Value {
    return arith::MulIOp::create(ib, addIndex(ib, b0, j),
                                 indexConstant(ib, k.lanes));
  };

  // The tile's column of packed weights (packWeights): b0 is c * nb, or
  // blocks - nb for the last column.
  Value column = arith::CeilDivUIOp::create(b, b0, indexConstant(b, nb));
  SmallVector<Value> init, accs;
  for (int64_t j = 0; j < nb; ++j)
    init.push_back(readVector(b, i32s, ops.channel.init, {channelOf(b, j)}));
  for (int64_t i = 0; i < np; ++i)
    llvm::append_range(accs, init);

  // Steps [begin, end) of the reduction from `init`: per step, one
  // broadcast per pixel and one dot per pixel and block (i32 lanes; s16
  // pair sums where narrowSums).
  Value channel0; // the step's first input channel, made with pixel 0's
  RegisterTile tile{
      np, nb,
      [&](ImplicitLocOpBuilder &lb, Value step, int64_t j) {
        return readVector(
            lb, packed, ops.weights,
            {column, step, indexConstant(lb, j), indexConstant(lb, 0)});
      },
      [&](ImplicitLocOpBuilder &lb, Value step, int64_t i) -> Value {
        if (i == 0)
          channel0 =
              arith::MulIOp::create(lb, step, indexConstant(lb, k.group));
        // `group` activations of pixel i, one i32 to all lanes.
        Value quad = readVector(lb, VectorType::get({k.group}, element), ops.u,
                                {addIndex(lb, p0, i), channel0});
        Value word =
            vector::BitCastOp::create(lb, VectorType::get({1}, i32), quad);
        return vector::BitCastOp::create(
            lb, packed, vector::BroadcastOp::create(lb, i32s, word));
      },
      k.instruction.accumulate};
  auto reduce = [&](ImplicitLocOpBuilder &rb, Value begin, Value end,
                    ValueRange init) {
    return emitTileReduction(rb, tile, begin, end, init);
  };

  SmallVector<Value> sums;
  if (!k.narrowSums()) {
    llvm::append_range(sums,
                       reduce(b, indexConstant(b, 0),
                              indexConstant(b, ops.reductionSteps), accs));
  } else {
    // Chunks of s16Steps steps summed in s16 (vpaddw), each chunk widened
    // into the i32 accumulators (vpmaddwd): by ones, or, where the narrow
    // multipliers m' fit i16, by m' in both halves of each lane, which
    // multiplies in the same instruction: the chunks then sum to acc * m'
    // (in i32 by findNarrowForms) and the requantization has no multiply.
    SmallVector<Value> widen(nb, ops.ones);
    if (ops.channel.i16Multipliers) {
      auto pairs = VectorType::get({2 * k.lanes}, b.getI16Type());
      Value sixteen = createScalarOrSplatConstant(b, b.getLoc(), i32s, 16);
      for (int64_t j = 0; j < nb; ++j) {
        Value m =
            readVector(b, i32s, ops.channel.multiplier, {channelOf(b, j)});
        Value both =
            arith::OrIOp::create(b, m, arith::ShLIOp::create(b, m, sixteen));
        widen[j] = vector::BitCastOp::create(b, pairs, both);
      }
    }
    int64_t chunks = llvm::divideCeil(ops.reductionSteps, ops.s16Steps);
    auto outer = scf::ForOp::create(
        b, indexConstant(b, 0), indexConstant(b, chunks), indexConstant(b, 1),
        accs, [&](OpBuilder &nested, Location loc, Value c, ValueRange it) {
          ImplicitLocOpBuilder cb(loc, nested);
          Value begin =
              arith::MulIOp::create(cb, c, indexConstant(cb, ops.s16Steps));
          Value end =
              arith::MinSIOp::create(cb, addIndex(cb, begin, ops.s16Steps),
                                     indexConstant(cb, ops.reductionSteps));
          SmallVector<Value> zeros(it.size(), ops.zeroPairs);
          SmallVector<Value> pairSums = reduce(cb, begin, end, zeros);
          SmallVector<Value> widened;
          for (auto [index, acc, pairs] : llvm::enumerate(it, pairSums))
            widened.push_back(
                k.instruction.widen(cb, acc, pairs, widen[index % nb]));
          scf::YieldOp::create(cb, widened);
        });
    llvm::append_range(sums, outer.getResults());
  }

  // 8-lane forms requantize and store two blocks of a pixel as one 16-lane
  // vector: the i32 -> i8 saturation then packs 16 channels at once
  // (vpackssdw/vpacksswb) into one 16-byte store, instead of shuffling
  // and storing each half of it. Only where every block is whole: a pair
  // may start at any block (emitTileLoop), so it then always ends within
  // the channels.
  bool pairs = k.lanes == 8 && ops.cout % k.lanes == 0;
  SmallVector<int64_t> concat(2 * k.lanes);
  std::iota(concat.begin(), concat.end(), 0);
  for (int64_t j = 0, together; j < nb; j += together) {
    together = pairs && j + 1 < nb ? 2 : 1;
    auto wide = VectorType::get({together * k.lanes}, i32);
    RequantLanes lanes =
        readRequantLanes(b, ops.channel, wide, channelOf(b, j));
    lanes.premultiplied = ops.channel.i16Multipliers;
    SmallVector<Value> ys;
    SmallVector<SmallVector<Value>> pixels;
    for (int64_t i = 0; i < np; ++i) {
      Value acc = sums[i * nb + j];
      if (together == 2)
        acc = vector::ShuffleOp::create(b, acc, sums[i * nb + j + 1], concat);
      ys.push_back(requantizeVector(b, acc, lanes, conv.outputZp, conv.clamp));
      pixels.push_back(
          {arith::AddIOp::create(b, chunk0, addIndex(b, p0, i)).getResult()});
    }
    // Pairs are of whole blocks only: in bounds.
    out = storeBlocks(b, ys, out, pixels, channelOf(b, j), together * k.lanes,
                      ops.cout,
                      /*mayBePartial=*/together == 1 && j + 1 == nb);
  }
  return out;
}

Value lowerPointwise(ImplicitLocOpBuilder &b, const PointwiseConv &conv,
                     KernelShape k, int pairSumBound,
                     const RequantConstants &requant,
                     const Schedule &schedule) {
  ArrayRef<int64_t> out = conv.outType.getShape();
  auto inType = cast<RankedTensorType>(conv.pixels.getType());
  int64_t pixels = inType.getDimSize(0), cin = inType.getDimSize(1);
  int64_t cout = out[3];
  int64_t steps = llvm::divideCeil(cin, k.group);
  int64_t blocks = llvm::divideCeil(cout, k.lanes);
  int64_t channels = blocks * k.lanes;
  Type i8 = b.getI8Type(), element = k.element(b);

  // The accumulators start at the zero-point term of the inputs u.
  ChannelConstants constants =
      createChannelConstants(b, channels, requant, conv.bias);
  // s16 sums stay below 2^15 for this many steps (at least one: the form
  // is only chosen with pair sums <= 128).
  int64_t s16Steps =
      std::clamp<int64_t>(32767 / (255 * std::max(pairSumBound, 1)), 1,
                          std::max<int64_t>(steps, 1));
  KernelOperands ops{k,  pixels, cout,      steps, s16Steps,
                     {}, {},     constants, {},    {}};

  // Tiles of np pixels by nb blocks: one copy of the tile code.
  int64_t np = std::min(schedule.tile.first, pixels);
  int64_t nb = std::min(schedule.tile.second, blocks);
  SmallVector<int16_t> packed =
      packWeights(conv.weights, cout, cin, k.lanes, k.group, nb);
  auto packedType = RankedTensorType::get(
      {int64_t(llvm::divideCeil(blocks, nb)), steps, nb, k.lanes * k.group},
      element);
  if (element == i8) {
    SmallVector<int8_t> bytes(packed.begin(), packed.end());
    ops.weights = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(packedType, ArrayRef<int8_t>(bytes)));
  } else {
    ops.weights = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(packedType, ArrayRef<int16_t>(packed)));
  }
  if (k.narrowSums()) {
    auto pairs = VectorType::get({2 * k.lanes}, b.getI16Type());
    ops.zeroPairs = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(pairs, int16_t(0)));
    ops.ones = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(pairs, int16_t(1)));
  }

  int64_t chunk =
      chunkPixels(pixels, steps * k.group * element.getIntOrFloatBitWidth() / 8,
                  np, schedule.chunkBytes);

  // Chunks of pixels, each made into the instruction's inputs u (flipped
  // to x + 128 for an unsigned one, widened for a 16-bit one, padded to
  // whole reduction steps: the padding meets zero weights) and then
  // covered by columns of nb blocks over tiles of np pixels. A chunk's u
  // stays in L2, beside the input and the output, while every column reads
  // it; made whole, a large u went out to L3 and came back.
  Value result =
      tensor::EmptyOp::create(b, {pixels, cout}, conv.outType.getElementType());
  result = emitTileLoop(
      b, pixels, chunk, result,
      [&](ImplicitLocOpBuilder &cb, Value chunk0, Value chunkOut) {
        Value u = kernelPixelRows(cb, conv, chunk0, chunk, element,
                                  steps * k.group, k.instruction.unsignedInput);
        KernelOperands chunkOps = ops;
        chunkOps.u = u;
        return emitTileLoop(
            cb, blocks, nb, chunkOut,
            [&](ImplicitLocOpBuilder &lb, Value b0, Value columnOut) {
              return emitTileLoop(
                  lb, chunk, np, columnOut,
                  [&](ImplicitLocOpBuilder &tb, Value p0, Value out) {
                    return emitTile(tb, chunkOps, conv, out, chunk0, p0, np, b0,
                                    nb);
                  });
            });
      });
  return tensor::ExpandShapeOp::create(
             b, conv.outType, result,
             ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}})
      .getResult();
}

template <typename OpTy> struct PointwiseToDot : LoweringPattern<OpTy> {
  using LoweringPattern<OpTy>::LoweringPattern;

  FailureOr<Value> lower(ImplicitLocOpBuilder &b, OpTy op) const override {
    KernelAttr kernel = getKernel(op, KernelKind::PointwiseDot);
    if (!kernel)
      return failure();
    // Every refusal comes before the IR changes.
    ElementsAttr attr;
    if (!matchPattern(op.getWeights(), m_Constant(&attr)))
      return failure();
    std::optional<SmallVector<int8_t>> weights = getInt8Elements(attr);
    if (!weights)
      return failure();
    KernelShape k(*kernel.getForm(), kernel.getLanes());
    int pairs = maxPairSum(*weights, op.getOutput().getType().getDimSize(3));
    // A form the weights would saturate (u8 x s8 pairs in s16 lanes) is
    // refused (and reported) rather than computed wrong.
    if (k.narrowSums() && pairs > 128)
      return failure();
    FailureOr<RequantConstants> requant = kernelRequantConstants(op, kernel);
    if (failed(requant))
      return failure();
    std::optional<PointwiseConv> conv = matchPointwiseConv(b, op);
    if (!conv)
      return failure();
    Schedule schedule{{kernel.getTilePixels(), kernel.getTileBlocks()},
                      kernel.getChunkBytes()};
    return lowerPointwise(b, *conv, k, pairs, *requant, schedule);
  }
};

struct PointwiseDotPass : prom::impl::PromPointwiseDotBase<PointwiseDotPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PointwiseToDot<Conv2DOp>, PointwiseToDot<TernaryConv2DOp>>(
        &getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::PointwiseDot,
                                   "prom-pointwise-dot")))
      signalPassFailure();
  }
};

} // namespace
