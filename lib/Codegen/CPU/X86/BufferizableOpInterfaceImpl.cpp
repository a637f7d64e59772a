//===- BufferizableOpInterfaceImpl.cpp - bufferizing prom's x86 ops -------===//

#include "Prom/Codegen/CPU/X86/BufferizableOpInterfaceImpl.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::bufferization;

namespace {

/// In place on its destination, whose values it does not read.
struct X86AmxMatmulOpInterface
    : DstBufferizableOpInterfaceExternalModel<X86AmxMatmulOpInterface,
                                              x86::AmxMatmulOp> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return !cast<x86::AmxMatmulOp>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto matmul = cast<x86::AmxMatmulOp>(op);
    SmallVector<Value> buffers;
    for (Value operand : op->getOperands()) {
      FailureOr<Value> buffer = getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    x86::AmxMatmulOp::create(rewriter, matmul.getLoc(), TypeRange{}, buffers[0],
                             buffers[1], buffers[2]);
    replaceOpWithBufferizedValues(rewriter, op, buffers[2]);
    return success();
  }
};

} // namespace

void mlir::prom::registerX86BufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, x86::PromX86Dialect *) {
    x86::AmxMatmulOp::attachInterface<X86AmxMatmulOpInterface>(*context);
  });
}
