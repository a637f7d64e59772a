//===- PointwiseAmx.cpp - 1x1 convolutions on AMX int8 tiles --------------===//
//
// Each convolution whose kernel is pointwise_amx becomes a call of its own
// function: blocks of prom_x86.amx_matmul on the int8 activations as they
// are (lowered to AMX tiles after bufferization) and the requantization of
// the stored tiles. A function per layer, because LLVM configures the tiles
// once per function, and cannot allocate tile registers of many shapes in
// one.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/PointwiseOperands.h"
#include "Prom/Codegen/CPU/Common/Requantization.h"
#include "Prom/Codegen/CPU/X86/X86KernelSelection.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMPOINTWISEAMX
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

constexpr int64_t kLanes = 16; // i32 columns of a tile row

/// The body of a layer's function: `conv.pixels` ([pixels, cin] i8) to the
/// requantized [pixels, cout] i8. tdpbssd multiplies signed bytes, so the
/// activations are read where they are (copied only to pad the reduction),
/// without the dot kernel's flip to u8.
FailureOr<Value> emitLayer(ImplicitLocOpBuilder &b, const PointwiseConv &conv,
                           KernelAttr kernel, const RequantConstants &requant) {
  auto inType = cast<RankedTensorType>(conv.pixels.getType());
  int64_t pixels = inType.getDimSize(0), cin = inType.getDimSize(1);
  int64_t cout = conv.outType.getDimSize(3);
  int64_t depth = amxReductionDepth(cin);
  int64_t blocks = llvm::divideCeil(cout, kLanes);
  int64_t np = kernel.getTilePixels(), nb = kernel.getTileBlocks();
  if (!isAmxTile(pixels, blocks, np, nb))
    return failure();
  Type i8 = b.getI8Type(), i32 = b.getI32Type();

  // The accumulators start at the zero-point term (added after the tiles).
  ChannelConstants channel =
      createChannelConstants(b, blocks * kLanes, requant, conv.bias);

  // Weights as AMX B tiles: [columns][depth / 4][nb * 16 channels][4],
  // zero past cin and cout.
  SmallVector<int8_t> padded(cout * depth, 0);
  for (int64_t o = 0; o < cout; ++o)
    llvm::copy(ArrayRef(conv.weights).slice(o * cin, cin),
               padded.begin() + o * depth);
  SmallVector<int16_t> packed = packWeights(padded, cout, depth, kLanes, 4, nb);
  int64_t columns = llvm::divideCeil(blocks, nb);
  SmallVector<int8_t> bytes(packed.begin(), packed.end());
  auto packedType =
      RankedTensorType::get({columns, depth / 4, nb * kLanes * 4}, i8);
  Value weights = arith::ConstantOp::create(
      b, DenseIntElementsAttr::get(packedType, ArrayRef<int8_t>(bytes)));

  Value x = conv.pixels;
  if (depth != cin)
    x = tensor::createPadHighOp(RankedTensorType::get({pixels, depth}, i8), x,
                                arith::ConstantOp::create(b, b.getZeroAttr(i8)),
                                /*nofold=*/false, b.getLoc(), b);
  auto accType = RankedTensorType::get({np, nb * kLanes}, i32);
  auto lhsType = RankedTensorType::get({np, depth}, i8);
  auto rhsType = RankedTensorType::get({depth / 4, nb * kLanes * 4}, i8);
  auto i32s = VectorType::get({kLanes}, i32);

  // Tiles column by column of nb blocks, each column over all the pixels
  // (its weights stay in L1), in one loop, software-pipelined: tile t is
  // multiplied into one half of a pair of accumulator buffers while tile
  // t - 1 is requantized from the other. The tile instructions are few and
  // issued first, so the AMX unit works while the vector units run the
  // epilogue, which otherwise waits for the tile stores it reads. The
  // buffers are threaded through the loop, so bufferization allocates them
  // once. The result has whole blocks, cut to cout at the end: masked
  // stores of a partial block would put an scf.if per row in the tile,
  // whose chain of results bufferization's type queries walk
  // exponentially.
  int64_t pixelTiles = llvm::divideCeil(pixels, np);
  int64_t tiles = columns * pixelTiles;
  int64_t channels = blocks * kLanes;
  auto tileAt = [&](ImplicitLocOpBuilder &tb, Value t) {
    Value c = arith::DivUIOp::create(tb, t, indexConstant(tb, pixelTiles));
    Value k = arith::RemUIOp::create(tb, t, indexConstant(tb, pixelTiles));
    return std::pair<Value, Value>{tileStart(tb, c, nb, blocks),
                                   tileStart(tb, k, np, pixels)};
  };
  auto half = [&](ImplicitLocOpBuilder &tb, Value buffers, Value h) -> Value {
    return tensor::ExtractSliceOp::create(
        tb, accType, buffers, ValueRange{h}, ValueRange{}, ValueRange{},
        tb.getDenseI64ArrayAttr({ShapedType::kDynamic, 0, 0}),
        tb.getDenseI64ArrayAttr({1, np, nb * kLanes}),
        tb.getDenseI64ArrayAttr({1, 1, 1}));
  };
  // Tile t's products into half h of `buffers`.
  auto multiply = [&](ImplicitLocOpBuilder &tb, Value t, Value h,
                      Value buffers) -> Value {
    auto [b0, p0] = tileAt(tb, t);
    // The column of packed weights: b0 is c * nb, or blocks - nb for the
    // last column (packWeights).
    Value column = arith::CeilDivUIOp::create(tb, b0, indexConstant(tb, nb));
    Value rhs = tensor::ExtractSliceOp::create(
        tb, rhsType, weights, ValueRange{column}, ValueRange{}, ValueRange{},
        tb.getDenseI64ArrayAttr({ShapedType::kDynamic, 0, 0}),
        tb.getDenseI64ArrayAttr({1, depth / 4, nb * kLanes * 4}),
        tb.getDenseI64ArrayAttr({1, 1, 1}));
    Value lhs = tensor::ExtractSliceOp::create(
        tb, lhsType, x, ValueRange{p0}, ValueRange{}, ValueRange{},
        tb.getDenseI64ArrayAttr({ShapedType::kDynamic, 0}),
        tb.getDenseI64ArrayAttr({np, depth}), tb.getDenseI64ArrayAttr({1, 1}));
    Value sums =
        x86::AmxMatmulOp::create(tb, accType, lhs, rhs, half(tb, buffers, h))
            .getResult()[0];
    return tensor::InsertSliceOp::create(
        tb, sums, buffers, ValueRange{h}, ValueRange{}, ValueRange{},
        tb.getDenseI64ArrayAttr({ShapedType::kDynamic, 0, 0}),
        tb.getDenseI64ArrayAttr({1, np, nb * kLanes}),
        tb.getDenseI64ArrayAttr({1, 1, 1}));
  };
  // Tile t's outputs from the sums in half h, row by row in a loop
  // (unrolled, a 32 x 2 tile's 64 writes made bufferization's analysis of
  // the whole model take seconds).
  auto requantize = [&](ImplicitLocOpBuilder &tb, Value t, Value h,
                        Value buffers, Value out) -> Value {
    std::pair<Value, Value> tile = tileAt(tb, t);
    Value b0 = tile.first, p0 = tile.second;
    Value sums = half(tb, buffers, h);
    SmallVector<Value> channelOf, inits;
    SmallVector<RequantLanes> lanes;
    for (int64_t j = 0; j < nb; ++j) {
      channelOf.push_back(arith::MulIOp::create(tb, addIndex(tb, b0, j),
                                                indexConstant(tb, kLanes)));
      inits.push_back(readVector(tb, i32s, channel.init, {channelOf.back()}));
      lanes.push_back(readRequantLanes(tb, channel, i32s, channelOf.back()));
    }
    return forLoop(
        tb, indexConstant(tb, np), {out},
        [&](ImplicitLocOpBuilder &rb, Value i,
            ValueRange rowArgs) -> SmallVector<Value> {
          Value row = rowArgs[0];
          for (int64_t j = 0; j < nb; ++j) {
            Value sum =
                readVector(rb, i32s, sums, {i, indexConstant(rb, j * kLanes)});
            Value y =
                requantizeVector(rb, arith::AddIOp::create(rb, sum, inits[j]),
                                 lanes[j], conv.outputZp, conv.clamp);
            row =
                vector::TransferWriteOp::create(
                    rb, y, row,
                    ValueRange{arith::AddIOp::create(rb, p0, i), channelOf[j]},
                    ArrayRef<bool>{true})
                    .getResult();
          }
          return {row};
        })[0];
  };

  Value buffers = tensor::EmptyOp::create(b, {2, np, nb * kLanes}, i32);
  Value result = tensor::EmptyOp::create(b, {pixels, channels},
                                         conv.outType.getElementType());
  buffers = multiply(b, indexConstant(b, 0), indexConstant(b, 0), buffers);
  SmallVector<Value> pipelined = forRange(
      b, indexConstant(b, 1), indexConstant(b, tiles), {result, buffers},
      [&](ImplicitLocOpBuilder &lb, Value t, ValueRange args) {
        Value h = arith::RemUIOp::create(lb, t, indexConstant(lb, 2));
        Value previous = arith::SubIOp::create(lb, indexConstant(lb, 1), h);
        Value next = multiply(lb, t, h, args[1]);
        Value out =
            requantize(lb, arith::SubIOp::create(lb, t, indexConstant(lb, 1)),
                       previous, next, args[0]);
        return SmallVector<Value>{out, next};
      });
  SmallVector<Value> done{requantize(b, indexConstant(b, tiles - 1),
                                     indexConstant(b, (tiles - 1) % 2),
                                     pipelined[1], pipelined[0])};
  if (channels == cout)
    return done[0];
  return tensor::ExtractSliceOp::create(
             b,
             RankedTensorType::get({pixels, cout},
                                   conv.outType.getElementType()),
             done[0], ValueRange{}, ValueRange{}, ValueRange{},
             b.getDenseI64ArrayAttr({0, 0}),
             b.getDenseI64ArrayAttr({pixels, cout}),
             b.getDenseI64ArrayAttr({1, 1}))
      .getResult();
}

/// Replaces `op` by a call of a new function holding its kernel.
LogicalResult outlineLayer(ModuleOp module, SymbolTable &symbols, Operation *op,
                           KernelAttr kernel) {
  FailureOr<RequantConstants> requant = kernelRequantConstants(op, kernel);
  if (failed(requant))
    return failure();
  ImplicitLocOpBuilder b(op->getLoc(), op);
  std::optional<PointwiseConv> conv = matchPointwiseConv(b, op);
  if (!conv)
    return failure();

  // The bias: a constant is cloned into the function (its values let the
  // requantization take narrow forms), anything else is passed.
  SmallVector<Value> operands{conv->pixels};
  Operation *constantBias = nullptr;
  if (conv->bias) {
    if (matchPattern(conv->bias, m_Constant()))
      constantBias = conv->bias.getDefiningOp();
    else
      operands.push_back(conv->bias);
  }
  int64_t pixels = cast<RankedTensorType>(conv->pixels.getType()).getDimSize(0);
  auto flatOut = RankedTensorType::get({pixels, conv->outType.getDimSize(3)},
                                       conv->outType.getElementType());
  auto type = FunctionType::get(op->getContext(),
                                ValueRange(operands).getTypes(), {flatOut});

  OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
  auto fn =
      func::FuncOp::create(moduleBuilder, op->getLoc(), "prom_amx_layer", type);
  fn.setPrivate();
  // Kept out of line (convert-func-to-llvm passes this on to llvm.func), so
  // that each layer's tiles are configured alone.
  fn->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  symbols.insert(fn);
  Block *entry = fn.addEntryBlock();
  ImplicitLocOpBuilder fb =
      ImplicitLocOpBuilder::atBlockBegin(op->getLoc(), entry);
  PointwiseConv inner = *conv;
  inner.pixels = entry->getArgument(0);
  if (constantBias)
    inner.bias = fb.clone(*constantBias)->getResult(0);
  else if (conv->bias)
    inner.bias = entry->getArgument(1);
  FailureOr<Value> body = emitLayer(fb, inner, kernel, *requant);
  if (failed(body)) {
    fn.erase();
    return failure();
  }
  func::ReturnOp::create(fb, *body);

  Value flat = func::CallOp::create(b, fn, operands).getResult(0);
  Value result = tensor::ExpandShapeOp::create(
      b, conv->outType, flat, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  return success();
}

struct PointwiseAmxPass : prom::impl::PromPointwiseAmxBase<PointwiseAmxPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<std::pair<Operation *, KernelAttr>> layers;
    module.walk([&](Operation *op) {
      if (KernelAttr kernel = getKernel(op, KernelKind::PointwiseAmx))
        layers.push_back({op, kernel});
    });
    for (auto [op, kernel] : layers)
      (void)outlineLayer(module, symbols, op, kernel);
    if (failed(checkKernelsApplied(module, KernelKind::PointwiseAmx,
                                   "prom-pointwise-amx")))
      signalPassFailure();
  }
};

} // namespace
