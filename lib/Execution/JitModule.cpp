//===- JitModule.cpp - run compiled prom IR in-process --------------------===//

#include "Prom/Execution/JitModule.h"

#include "Prom/Codegen/CPU/Common/TargetDescription.h"
#include "Prom/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/TargetSelect.h"

#include <cstdlib>
#include <mutex>

using namespace mlir;
using namespace mlir::prom;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::optional<ElementKind> kindOf(Type type) {
  if (type.isInteger(8))
    return ElementKind::I8;
  if (type.isInteger(32))
    return ElementKind::I32;
  if (type.isInteger(64))
    return ElementKind::I64;
  if (type.isF32())
    return ElementKind::F32;
  return std::nullopt;
}

static StringRef nameOf(ElementKind kind) {
  switch (kind) {
  case ElementKind::I8:
    return "i8";
  case ElementKind::I32:
    return "i32";
  case ElementKind::I64:
    return "i64";
  case ElementKind::F32:
    return "f32";
  }
  llvm_unreachable("unknown ElementKind");
}

JitModule::~JitModule() = default;

llvm::Expected<std::unique_ptr<JitModule>>
JitModule::compile(ModuleOp module, unsigned optLevel, StringRef cpu,
                   StringRef kernelIsa, bool profile) {
  static std::once_flag initTargets;
  std::call_once(initTargets, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });

  std::unique_ptr<JitModule> jit(new JitModule());
  // Signatures are read before lowering erases the tensor types.
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPublic() || fn.isExternal())
      continue;
    FunctionSignature signature;
    auto convert = [&](TypeRange types,
                       SmallVector<TensorSignature> &out) -> llvm::Error {
      for (Type type : types) {
        auto tensor = dyn_cast<RankedTensorType>(type);
        std::optional<ElementKind> kind =
            tensor ? kindOf(tensor.getElementType()) : std::nullopt;
        if (!kind)
          return makeError("function '" + fn.getName() +
                           "' has a parameter or result that is not a ranked "
                           "i8, i32, i64 or f32 tensor");
        out.push_back({*kind, SmallVector<int64_t>(tensor.getShape())});
      }
      return llvm::Error::success();
    };
    if (llvm::Error e = convert(fn.getArgumentTypes(), signature.inputs))
      return std::move(e);
    if (llvm::Error e = convert(fn.getResultTypes(), signature.results))
      return std::move(e);
    jit->signatures[fn.getName()] = std::move(signature);
  }

  DialectRegistry registry;
  registerPromToLLVMDependencies(registry);
  module.getContext()->appendDialectRegistry(registry);

  // The host's machine, or one for `cpu`: code generation and the IR
  // optimizer (its cost model) both follow it.
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  if (!cpu.empty()) {
    builder->setCPU(cpu.str());
    builder->getFeatures() = llvm::SubtargetFeatures();
  }
  builder->setCodeGenOptLevel(optLevel == 0 ? llvm::CodeGenOptLevel::None
                                            : llvm::CodeGenOptLevel::Default);
  auto machine = builder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  if (!cpu.empty() && !(*machine)->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return makeError("unknown CPU '" + cpu + "'");
  // The module's target is this machine (unless the module names one), and
  // prom's kernels are its best, or `kernelIsa`; "none" is the reference
  // lowering alone, ternary convolutions included.
  if (!getTarget(module))
    module->setAttr(kTargetAttrName,
                    describeTarget(module.getContext(),
                                   *(*machine)->getMCSubtargetInfo(),
                                   /*isHost=*/cpu.empty()));
  PromToLLVMPipelineOptions pipeline;
  pipeline.kernelIsa = kernelIsa.empty() ? "auto" : kernelIsa.str();
  if (kernelIsa == "none")
    pipeline.ternaryKernel = "reference";
  pipeline.profile = profile;
  PassManager pm(module.getContext());
  buildPromToLLVMPipeline(pm, pipeline);
  if (std::getenv("PROM_JIT_DEBUG")) {
    module.getContext()->disableMultithreading();
    pm.enableIRPrinting([](Pass *, Operation *) { return false; },
                        [](Pass *, Operation *) { return true; },
                        /*printModuleScope=*/true,
                        /*printAfterOnlyOnChange=*/false,
                        /*printAfterOnlyOnFailure=*/true);
  }
  if (failed(pm.run(module)))
    return makeError("lowering to the LLVM dialect failed (see diagnostics)");

  // ExecutionEngineOptions holds a function_ref: the transformer must
  // outlive create().
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                /*targetMachine=*/machine->get());
  ExecutionEngineOptions options;
  options.transformer = optimize;
  auto engine = ExecutionEngine::create(module, options, std::move(*machine));
  if (!engine)
    return engine.takeError();
  jit->engine = std::move(*engine);
  // Entry points are looked up once: a lookup by name costs microseconds,
  // which a benchmark would otherwise count in every call.
  for (auto &entry : jit->signatures) {
    auto packed =
        jit->engine->lookupPacked(("_mlir_ciface_" + entry.getKey()).str());
    if (!packed)
      return packed.takeError();
    entry.getValue().packed = *packed;
  }
  // Results come from the module's allocator (prom-define-cached-allocator)
  // and go back to it; a module that allocates nothing has none.
  if (llvm::Expected<void *> release =
          jit->engine->lookup("_mlir_memref_to_llvm_free"))
    jit->releaseBuffer = reinterpret_cast<void (*)(void *)>(*release);
  else
    llvm::consumeError(release.takeError());
  return jit;
}

namespace {
/// A memref descriptor as the C interface lays it out: allocated pointer,
/// aligned pointer, offset, sizes[rank], strides[rank], all 8 bytes wide.
struct Descriptor {
  static size_t words(size_t rank) { return 3 + 2 * rank; }
};
} // namespace

/// Fills `out` (kind and shape set) from the result memref whose
/// descriptor is `desc`, in row-major order.
static void copyResult(const int64_t *desc, HostTensor &out) {
  size_t rank = out.shape.size();
  size_t elementSize = HostTensor::elementSize(out.kind);
  out.bytes.resize(out.numElements() * elementSize);
  auto *aligned = reinterpret_cast<const uint8_t *>(desc[1]);
  // One block when the result is contiguous row-major; otherwise element
  // by element in row-major order, honouring strides.
  bool contiguous = true;
  for (int64_t d = rank - 1, stride = 1; d >= 0; --d) {
    if (out.shape[d] != 1 && desc[3 + rank + d] != stride)
      contiguous = false;
    stride *= out.shape[d];
  }
  if (contiguous && !out.bytes.empty())
    std::memcpy(out.bytes.data(), aligned + desc[2] * elementSize,
                out.bytes.size());
  SmallVector<int64_t> index(rank, 0);
  for (int64_t e = 0, n = contiguous ? 0 : out.numElements(); e < n; ++e) {
    int64_t offset = desc[2];
    for (size_t d = 0; d < rank; ++d)
      offset += index[d] * desc[3 + rank + d];
    std::memcpy(out.bytes.data() + e * elementSize,
                aligned + offset * elementSize, elementSize);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < out.shape[d])
        break;
      index[d] = 0;
    }
  }
}

llvm::Expected<SmallVector<HostTensor>>
JitModule::call(StringRef name, ArrayRef<HostTensor> inputs, bool keepResults) {
  auto it = signatures.find(name);
  if (it == signatures.end())
    return makeError("no public function '" + name + "' in the module");
  const FunctionSignature &signature = it->second;
  if (inputs.size() != signature.inputs.size())
    return makeError("'" + name + "' takes " +
                     llvm::Twine(signature.inputs.size()) + " inputs, got " +
                     llvm::Twine(inputs.size()));

  // Inputs are passed as they are: compiled code never writes into its
  // arguments (prom-emit-c-interface marks them read-only).
  std::vector<std::vector<int64_t>> inputDescriptors;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    const TensorSignature &expected = signature.inputs[i];
    if (input.kind != expected.kind ||
        input.shape.size() != expected.shape.size())
      return makeError("input " + llvm::Twine(i) + " of '" + name +
                       "' must be a rank-" +
                       llvm::Twine(expected.shape.size()) + " " +
                       nameOf(expected.kind) + " tensor");
    for (auto [d, size] : llvm::enumerate(expected.shape))
      if (!ShapedType::isDynamic(size) && size != input.shape[d])
        return makeError("input " + llvm::Twine(i) + " of '" + name +
                         "' has size " + llvm::Twine(input.shape[d]) +
                         " in dimension " + llvm::Twine(d) + ", expected " +
                         llvm::Twine(size));
    if (input.bytes.size() !=
        input.numElements() * HostTensor::elementSize(input.kind))
      return makeError("input " + llvm::Twine(i) +
                       " holds the wrong number of bytes for its shape");
    size_t rank = input.shape.size();
    std::vector<int64_t> desc(Descriptor::words(rank));
    auto base = reinterpret_cast<int64_t>(input.bytes.data());
    desc[0] = desc[1] = base;
    desc[2] = 0;
    int64_t stride = 1;
    for (size_t d = rank; d-- > 0;) {
      desc[3 + d] = input.shape[d];
      desc[3 + rank + d] = stride;
      stride *= input.shape[d];
    }
    inputDescriptors.push_back(std::move(desc));
  }

  size_t resultWords = 0;
  for (const TensorSignature &result : signature.results)
    resultWords += Descriptor::words(result.shape.size());
  std::vector<int64_t> results(resultWords);

  // _mlir_ciface_<name>(results*, input descriptors*...) through its packed
  // wrapper: each argument is passed by address.
  SmallVector<void *> descriptorPointers;
  if (!signature.results.empty())
    descriptorPointers.push_back(results.data());
  for (std::vector<int64_t> &desc : inputDescriptors)
    descriptorPointers.push_back(desc.data());
  SmallVector<void *> args;
  for (void *&pointer : descriptorPointers)
    args.push_back(&pointer);
  signature.packed(args.data());

  SmallVector<HostTensor> outputs;
  llvm::SmallPtrSet<uint8_t *, 8> toFree;
  size_t word = 0;
  for (const TensorSignature &result : signature.results) {
    size_t rank = result.shape.size();
    const int64_t *desc = results.data() + word;
    word += Descriptor::words(rank);
    HostTensor out{
        result.kind, SmallVector<int64_t>(desc + 3, desc + 3 + rank), {}};
    if (keepResults)
      copyResult(desc, out);
    // Results are fresh allocations owned by the caller, unless the
    // function returned one of our input buffers unchanged; a buffer
    // returned twice (one value as two results) is freed once.
    auto *allocated = reinterpret_cast<uint8_t *>(desc[0]);
    bool isInput = llvm::any_of(inputs, [&](const HostTensor &input) {
      const uint8_t *data = input.bytes.data();
      return allocated >= data && allocated <= data + input.bytes.size();
    });
    if (!isInput)
      toFree.insert(allocated);
    if (keepResults)
      outputs.push_back(std::move(out));
  }
  for (uint8_t *allocated : toFree)
    releaseBuffer(allocated);
  return outputs;
}

llvm::Expected<void *> JitModule::lookup(llvm::StringRef name) {
  return engine->lookup(name);
}
