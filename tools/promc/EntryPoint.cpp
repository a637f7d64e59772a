//===- EntryPoint.cpp - the plain-buffer C entry point of a model ---------===//

#include "EntryPoint.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace llvm;
using namespace promc;

/// Words (i64) of a rank-`rank` memref descriptor: allocated and aligned
/// pointers, offset, sizes, strides.
static unsigned descriptorWords(size_t rank) { return 3 + 2 * rank; }

void promc::addEntryPoint(Module &module,
                          const EntryPointSignature &signature) {
  LLVMContext &ctx = module.getContext();
  Type *i64 = Type::getInt64Ty(ctx), *i32 = Type::getInt32Ty(ctx);
  PointerType *ptr = PointerType::get(ctx, 0);
  size_t numParams = signature.inputs.size() + signature.outputs.size();
  auto *fnType = FunctionType::get(i32, SmallVector<Type *>(numParams, ptr),
                                   /*isVarArg=*/false);
  Function *fn = Function::Create(fnType, GlobalValue::ExternalLinkage,
                                  signature.name, module);
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", fn));

  // A CPU or kernel without AMX gets a message and -1, not SIGILL (the
  // model's own check would abort).
  if (signature.requestsAmx) {
    FunctionCallee request = module.getOrInsertFunction(
        amxRequest, FunctionType::get(i32, {}, false));
    BasicBlock *refused = BasicBlock::Create(ctx, "amx_refused", fn);
    BasicBlock *granted = BasicBlock::Create(ctx, "amx_granted", fn);
    b.CreateCondBr(b.CreateICmpEQ(b.CreateCall(request), b.getInt32(0)),
                   granted, refused);
    b.SetInsertPoint(refused);
    std::string message = signature.name +
                          ": this library uses AMX int8 tiles, which this "
                          "CPU or operating system does not provide\n";
    FunctionCallee write = module.getOrInsertFunction(
        "write", FunctionType::get(i64, {i32, ptr, i64}, false));
    b.CreateCall(write, {b.getInt32(2), b.CreateGlobalString(message),
                         b.getInt64(message.size())});
    b.CreateRet(b.getInt32(-1));
    b.SetInsertPoint(granted);
  }

  auto slot = [&](Value *desc, unsigned word) {
    return b.CreateConstInBoundsGEP1_64(i64, desc, word);
  };
  SmallVector<Value *> callArgs;
  unsigned resultWords = 0;
  for (const TensorParameter &out : signature.outputs)
    resultWords += descriptorWords(out.shape.size());
  Value *results = b.CreateAlloca(ArrayType::get(i64, resultWords));
  if (!signature.outputs.empty())
    callArgs.push_back(results);
  SmallVector<Value *> inputPointers;
  for (auto [i, in] : enumerate(signature.inputs)) {
    size_t rank = in.shape.size();
    Value *desc = b.CreateAlloca(ArrayType::get(i64, descriptorWords(rank)));
    Value *data = b.CreatePtrToInt(fn->getArg(i), i64);
    inputPointers.push_back(data);
    b.CreateStore(data, slot(desc, 0));
    b.CreateStore(data, slot(desc, 1));
    b.CreateStore(b.getInt64(0), slot(desc, 2));
    int64_t stride = 1;
    for (size_t d = rank; d-- > 0;) {
      b.CreateStore(b.getInt64(in.shape[d]), slot(desc, 3 + d));
      b.CreateStore(b.getInt64(stride), slot(desc, 3 + rank + d));
      stride *= in.shape[d];
    }
    callArgs.push_back(desc);
  }
  FunctionCallee interface = module.getOrInsertFunction(
      signature.interface,
      FunctionType::get(Type::getVoidTy(ctx),
                        SmallVector<Type *>(callArgs.size(), ptr), false));
  b.CreateCall(interface, callArgs);

  // Copy each result, following its strides (a result may be a strided
  // view, e.g. of a transpose), then free it with the
  // allocator that made it (prom-define-cached-allocator's, when defined).
  StringRef release = module.getFunction("_mlir_memref_to_llvm_free")
                          ? "_mlir_memref_to_llvm_free"
                          : "free";
  FunctionCallee freeFn = module.getOrInsertFunction(
      release, FunctionType::get(Type::getVoidTy(ctx), {ptr}, false));
  unsigned word = 0;
  SmallVector<Value *> freed; // never free a buffer twice, nor an input
  for (auto [j, out] : enumerate(signature.outputs)) {
    size_t rank = out.shape.size();
    Value *allocated = b.CreateLoad(i64, slot(results, word));
    Value *aligned =
        b.CreateIntToPtr(b.CreateLoad(i64, slot(results, word + 1)), ptr);
    Value *offset = b.CreateLoad(i64, slot(results, word + 2));
    SmallVector<Value *> strides;
    for (size_t d = 0; d < rank; ++d)
      strides.push_back(b.CreateLoad(i64, slot(results, word + 3 + rank + d)));
    Type *element = b.getIntNTy(8 * out.elementBytes);
    Value *target = fn->getArg(signature.inputs.size() + j);

    // A row-major result (the usual case) is one memcpy; the loop below
    // divides per element and took half of a one-layer library's call.
    Value *rowMajor = b.getTrue();
    int64_t expected = 1;
    for (size_t d = rank; d-- > 0;) {
      if (out.shape[d] != 1)
        rowMajor = b.CreateAnd(
            rowMajor, b.CreateICmpEQ(strides[d], b.getInt64(expected)));
      expected *= out.shape[d];
    }
    BasicBlock *whole = BasicBlock::Create(ctx, "memcpy", fn);
    BasicBlock *body = BasicBlock::Create(ctx, "copy", fn);
    BasicBlock *done = BasicBlock::Create(ctx, "copied", fn);
    BasicBlock *strided = BasicBlock::Create(ctx, "strided", fn);
    b.CreateCondBr(rowMajor, whole, strided);
    b.SetInsertPoint(whole);
    b.CreateMemCpy(target, MaybeAlign(out.elementBytes),
                   b.CreateGEP(element, aligned, offset),
                   MaybeAlign(out.elementBytes),
                   out.numElements() * out.elementBytes);
    b.CreateBr(done);
    b.SetInsertPoint(strided);
    BasicBlock *header = b.GetInsertBlock();
    b.CreateCondBr(b.getInt1(out.numElements() > 0), body, done);
    b.SetInsertPoint(body);
    PHINode *e = b.CreatePHI(i64, 2);
    e->addIncoming(b.getInt64(0), header);
    // Row-major position e -> source element offset + sum idx[d] * stride[d].
    Value *rest = e, *source = offset;
    for (size_t d = rank; d-- > 0;) {
      Value *size = b.getInt64(out.shape[d]);
      source = b.CreateAdd(source,
                           b.CreateMul(b.CreateURem(rest, size), strides[d]));
      rest = b.CreateUDiv(rest, size);
    }
    Value *v = b.CreateLoad(element, b.CreateGEP(element, aligned, source));
    b.CreateStore(v, b.CreateGEP(element, target, e));
    Value *next = b.CreateAdd(e, b.getInt64(1));
    e->addIncoming(next, b.GetInsertBlock());
    b.CreateCondBr(b.CreateICmpULT(next, b.getInt64(out.numElements())), body,
                   done);
    b.SetInsertPoint(done);

    Value *owned = b.getTrue();
    for (Value *other : llvm::concat<Value *>(inputPointers, freed))
      owned = b.CreateAnd(owned, b.CreateICmpNE(allocated, other));
    BasicBlock *doFree = BasicBlock::Create(ctx, "free", fn);
    BasicBlock *after = BasicBlock::Create(ctx, "freed", fn);
    b.CreateCondBr(owned, doFree, after);
    b.SetInsertPoint(doFree);
    b.CreateCall(freeFn, {b.CreateIntToPtr(allocated, ptr)});
    b.CreateBr(after);
    b.SetInsertPoint(after);
    freed.push_back(allocated);
    word += descriptorWords(rank);
  }
  b.CreateRet(b.getInt32(0));

  // The descriptors' allocas, built after the AMX check, belong in the
  // entry block: elsewhere LLVM treats them as dynamic.
  BasicBlock &entry = fn->getEntryBlock();
  SmallVector<AllocaInst *> allocas;
  for (BasicBlock &block : *fn)
    if (&block != &entry)
      for (Instruction &inst : block)
        if (auto *alloca = dyn_cast<AllocaInst>(&inst))
          allocas.push_back(alloca);
  for (AllocaInst *alloca : allocas)
    alloca->moveBefore(entry.getFirstInsertionPt());

  if (!signature.profile.empty())
    if (GlobalVariable *counters =
            module.getGlobalVariable(profileCounters, /*AllowInternal=*/true)) {
      Function *get = Function::Create(FunctionType::get(ptr, {}, false),
                                       GlobalValue::ExternalLinkage,
                                       signature.profile, module);
      IRBuilder<> gb(BasicBlock::Create(ctx, "entry", get));
      gb.CreateRet(counters);
    }
}

static std::string describeShape(ArrayRef<int64_t> shape) {
  return join(map_range(shape, [](int64_t d) { return std::to_string(d); }),
              "x");
}

void promc::writeHeader(raw_ostream &os, const EntryPointSignature &signature,
                        StringRef source) {
  std::string guard = StringRef(signature.name).upper() + "_H";
  os << "/* Generated by promc from " << source << ". */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* Runs the model on plain row-major buffers (C order, as the "
        "model's\n"
     << " * own tensors; an ONNX image input stays NCHW):\n";
  for (auto [i, in] : enumerate(signature.inputs))
    os << " *   input" << i << ":  " << in.cType << "[" << in.numElements()
       << "], shape " << describeShape(in.shape) << "\n";
  for (auto [i, out] : enumerate(signature.outputs))
    os << " *   output" << i << ": " << out.cType << "[" << out.numElements()
       << "], shape " << describeShape(out.shape) << "\n";
  os << " * Inputs are only read; outputs are written in full. Returns 0"
     << (signature.requestsAmx
             ? ";\n * -1, with a message on stderr, where the CPU or the "
               "operating system\n * does not provide the AMX int8 tiles "
               "this library was compiled for"
             : "")
     << ".\n"
     << " * Calls share no state: separate calls may run in separate threads.\n"
     << " */\n"
     << "int " << signature.name << "(";
  bool first = true;
  for (auto [i, in] : enumerate(signature.inputs)) {
    os << (first ? "" : ", ") << "const " << in.cType << " *input" << i;
    first = false;
  }
  for (auto [i, out] : enumerate(signature.outputs)) {
    os << (first ? "" : ", ") << out.cType << " *output" << i;
    first = false;
  }
  os << ");\n";
  if (!signature.profile.empty()) {
    size_t rows = signature.profileLayers.size() + 1;
    os << "\n/* Built with promc --profile: each call counts, per layer, the "
          "ticks of the\n"
       << " * cycle counter (rdtsc) spent in it and its calls, atomically. "
          "Returns\n"
       << " * int64_t[" << rows
       << "][2] = {ticks, calls} per row; the last "
          "row is the\n * whole call. Rows:\n";
    for (auto [i, layer] : enumerate(signature.profileLayers))
      os << " *   " << i << ": " << layer << "\n";
    os << " */\nconst int64_t *" << signature.profile << "(void);\n";
  }
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}
