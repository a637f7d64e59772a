//===- promc.cpp - model file to a native library ------------------------===//
//
// promc model.onnx -o model.so: imports the model (ONNX, or MLIR in
// TOSA/linalg/prom form), plans bit-widths, calibrates and quantizes it
// (float models; QDQ models keep their own quantization), lowers it for the
// host CPU (or --mcpu/--mattr) and writes a shared library or object with a
// plain-buffer C entry point and a C header next to it.
//
//===----------------------------------------------------------------------===//

#include "EntryPoint.h"
#include "ParallelCodegen.h"
#include "RunProfile.h"

#include "Prom/Calibration/Passes.h"
#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/LayerFunctions.h"
#include "Prom/Codegen/CPU/Common/TargetDescription.h"
#include "Prom/Codegen/CPU/Passes.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Import/Onnx/OnnxImporter.h"
#include "Prom/Pipelines/Pipelines.h"
#include "Prom/Pipelines/QuantizeModel.h"
#include "Prom/Registration/Registration.h"
#include "Prom/Transforms/LayerInfo.h"
#include "Prom/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::prom;
namespace cl = llvm::cl;

namespace {
enum class Emit { MLIR, LLVM, Asm, Obj, SharedLibrary };
enum class TernaryKernel { Auto, Dot, Add, Reference };

cl::OptionCategory category("promc options");
cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                               cl::desc("<model.onnx | model.mlir>"),
                               cl::cat(category));
cl::opt<std::string> outputFile(
    "o",
    cl::desc("Output file (default: the model's name with the --emit "
             "extension)"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<Emit>
    emit("emit",
         cl::desc("What to write (default: from the -o extension, else so)"),
         cl::values(clEnumValN(Emit::MLIR, "mlir", "quantized prom/TOSA IR"),
                    clEnumValN(Emit::LLVM, "llvm", "LLVM IR"),
                    clEnumValN(Emit::Asm, "asm", "assembly"),
                    clEnumValN(Emit::Obj, "obj", "object file (+ header)"),
                    clEnumValN(Emit::SharedLibrary, "so",
                               "shared library (+ header)")),
         cl::cat(category));
cl::opt<BitWidthPolicy> policy(
    "policy", cl::desc("Bit-width policy (float models)"),
    cl::values(clEnumValN(BitWidthPolicy::Prom, "prom",
                          "ternary 1x1 convolutions, int8 elsewhere"),
               clEnumValN(BitWidthPolicy::Int8, "int8", "int8 everywhere"),
               clEnumValN(BitWidthPolicy::Float, "float", "no quantization"),
               clEnumValN(BitWidthPolicy::Budget, "budget",
                          "ternary by sensitivity within --weight-budget")),
    cl::init(BitWidthPolicy::Prom), cl::cat(category));
cl::opt<int64_t> weightBudget("weight-budget",
                              cl::desc("Weight bytes for --policy=budget"),
                              cl::init(0), cl::cat(category));
cl::list<std::string>
    overrides("override",
              cl::desc("Per-layer REGEX=ternary|int8|float (repeatable)"),
              cl::cat(category));
cl::opt<std::string> overrideFile("override-file",
                                  cl::desc("JSON file of per-layer overrides"),
                                  cl::cat(category));
cl::opt<std::string> calibrationDir(
    "calibration-dir",
    cl::desc("Directory of .npy calibration inputs (default: pseudo-random "
             "inputs, with a warning)"),
    cl::cat(category));
cl::opt<std::string> report("report",
                            cl::desc("Write the cost report (JSON) here"),
                            cl::value_desc("file"), cl::cat(category));
cl::opt<TernaryKernel> ternaryKernel(
    "ternary-kernel", cl::desc("Lowering of ternary 1x1 convolutions"),
    cl::values(
        clEnumValN(TernaryKernel::Auto, "auto",
                   "the fastest measured on the target's ISA: dot where "
                   "--kernel-isa has kernels, add otherwise "
                   "(docs/performance.md)"),
        clEnumValN(TernaryKernel::Dot, "dot",
                   "the int8 dot-product kernel (vpdpbusd / vpmaddubsw)"),
        clEnumValN(TernaryKernel::Add, "add",
                   "additions and subtractions only (the PROM paper's form)"),
        clEnumValN(TernaryKernel::Reference, "reference",
                   "the reference multiply-accumulate")),
    cl::init(TernaryKernel::Auto), cl::cat(category));
cl::opt<std::string> kernelIsa(
    "kernel-isa",
    cl::desc("ISA of prom's optimized kernels: auto (the target's), none "
             "(reference lowering), avx2, avx512-vnni, amx-int8 (AMX tiles "
             "for the 1x1 layers whose estimate favours them, AVX-512 VNNI "
             "for the rest)"),
    cl::init("auto"), cl::cat(category));
cl::opt<std::string> pointwiseKernel(
    "pointwise-kernel",
    cl::desc("With --kernel-isa=amx-int8, the kernel of the 1x1 and dense "
             "int8 convolutions: auto (AMX or VNNI per layer, by estimate), "
             "dot (VNNI) or amx (AMX tiles wherever they apply)"),
    cl::init("auto"), cl::cat(category));
cl::opt<std::string> depthwiseForm(
    "depthwise-form",
    cl::desc("Instruction form of the int8 depthwise kernel: auto "
             "(vpmaddwd, or vpdpwssd with AVX-512 VNNI: two taps an "
             "instruction) or multiply (an i32 multiply and add per tap)"),
    cl::init("auto"), cl::cat(category));
cl::opt<std::string> pointwiseTile(
    "pointwise-tile",
    cl::desc("Register tile of the 1x1 dot kernels, PIXELSxBLOCKS (blocks "
             "of 16 or 8 output channels), e.g. 6x2; 0 in either place "
             "lets prom choose it (default: chosen per convolution)"),
    cl::value_desc("PxB"), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::init(2), cl::Prefix, cl::cat(category));
cl::opt<std::string> mcpu("mcpu", cl::desc("Target CPU (default: this host)"),
                          cl::cat(category));
cl::opt<std::string> mattr(
    "mattr",
    cl::desc("Target features, e.g. +avx2,-avx512f (default: this host's)"),
    cl::cat(category));
cl::opt<std::string>
    name("name",
         cl::desc("C entry point is <name>_run (default: the model's name)"),
         cl::cat(category));
cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("NAME=1x3x224x224 for a dynamic ONNX input"),
                cl::cat(category));
cl::opt<bool> haste("haste",
                    cl::desc("HASTE: merge redundant input channels of the "
                             "convolutions at run time (docs/haste.md)"),
                    cl::cat(category));
cl::opt<std::string>
    hasteLayers("haste-layers",
                cl::desc("Regex of the layer names HASTE rewrites"),
                cl::cat(category));
cl::opt<int64_t> hasteL("haste-l",
                        cl::desc("HASTE hyperplanes per layer (1-63)"),
                        cl::init(12), cl::cat(category));
cl::list<int64_t>
    hastePatch("haste-patch",
               cl::desc("HASTE output patch H,W (default: the whole map)"),
               cl::CommaSeparated, cl::cat(category));
cl::opt<bool> profile(
    "profile",
    cl::desc("Build a library that counts each layer's time, run it "
             "(--profile-runs calls on pseudo-random inputs) and print a "
             "per-layer table (docs/profiling.md)"),
    cl::cat(category));
cl::opt<unsigned> profileRuns("profile-runs",
                              cl::desc("Timed calls of --profile, after 5 "
                                       "warm-up calls (0: build, do not run)"),
                              cl::init(100), cl::cat(category));
cl::opt<std::string>
    profileJson("profile-json",
                cl::desc("With --profile, also write the table as JSON"),
                cl::value_desc("file"), cl::cat(category));
cl::opt<bool> outlineLayers(
    "outline-layers",
    cl::desc("One function per layer in the library, so that perf and the "
             "profile see layers (default: on; =false for one function)"),
    cl::init(true), cl::cat(category));
cl::opt<bool> verifyEach(
    "verify-each",
    cl::desc("Verify the IR after every lowering pass, not only at the end "
             "(slower; for debugging prom)"),
    cl::cat(category));
cl::opt<unsigned> jobs(
    "jobs",
    cl::desc("Threads that optimize and compile a shared library, one part "
             "of its functions each (default: this machine's cores; 1: one "
             "module, as --emit=o/s/ll always are)"),
    cl::cat(category));
cl::alias jobsShort("j", cl::desc("Alias for --jobs"), cl::aliasopt(jobs),
                    cl::Prefix, cl::cat(category));
cl::opt<bool> mlirTiming("mlir-timing",
                         cl::desc("Print the time each pass takes"),
                         cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::errs() << "promc: error: " << message << "\n";
  return 1;
}

std::string stem(llvm::StringRef path) {
  return llvm::sys::path::stem(path).str();
}

/// A C identifier from the model's name.
std::string identifier(llvm::StringRef text) {
  std::string id;
  for (char c : text)
    id += llvm::isAlnum(c) ? c : '_';
  if (id.empty() || llvm::isDigit(id[0]))
    id = "model_" + id;
  return id;
}

/// The host's target machine, or --mcpu/--mattr's; PIC, for shared objects.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createTargetMachine() {
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(error);
  std::string cpu = mcpu.empty() ? llvm::sys::getHostCPUName().str() : mcpu;
  std::string features = mattr;
  if (mattr.empty() && mcpu.empty()) {
    llvm::SmallVector<std::string> list;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      list.push_back((feature.second ? "+" : "-") + feature.first().str());
    llvm::sort(list);
    features = llvm::join(list, ",");
  }
  // Names are checked on a plain subtarget first: LLVM would print its own
  // warning for an unknown CPU, and abort on an unknown feature.
  std::unique_ptr<llvm::MCSubtargetInfo> plain(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!plain || !plain->isCPUStringValid(cpu))
    return llvm::createStringError("unknown --mcpu '" + cpu + "' for " +
                                   triple.str());
  llvm::SmallVector<llvm::StringRef> requested;
  llvm::StringRef(mattr).split(requested, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef feature : requested) {
    llvm::StringRef bare =
        feature.drop_while([](char c) { return c == '+' || c == '-'; });
    if (!llvm::any_of(
            plain->getAllProcessorFeatures(),
            [&](const llvm::SubtargetFeatureKV &kv) { return bare == kv.Key; }))
      return llvm::createStringError("unknown --mattr feature '" + feature +
                                     "'");
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt,
      optLevel == 0 ? llvm::CodeGenOptLevel::None
                    : llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine");
  return std::move(machine);
}

/// promc's --ternary-kernel as prom-select-kernels spells it.
std::string ternaryKernelName() {
  switch (ternaryKernel) {
  case TernaryKernel::Auto:
    return "auto";
  case TernaryKernel::Dot:
    return "dot";
  case TernaryKernel::Add:
    return "add";
  case TernaryKernel::Reference:
    return "reference";
  }
  llvm_unreachable("unknown ternary kernel");
}

/// The kernel chosen for each layer, as prom-select-kernels recorded it on
/// the ops (the kernel passes fail rather than leave one out).
llvm::json::Array listKernels(ModuleOp module) {
  llvm::json::Array layers;
  module.walk([&](Operation *op) {
    KernelAttr kernel = getKernel(op);
    if (!kernel)
      return;
    llvm::json::Object layer{{"layer", getLayerName(op)},
                             {"op", op->getName().getStringRef()},
                             {"kernel", stringifyKernelKind(kernel.getKind())}};
    if (kernel.getKind() == KernelKind::Reference) {
      layer["reason"] = kernel.getReason();
    } else {
      if (kernel.getIsa() != KernelIsa::None)
        layer["isa"] = kernelIsaName(kernel.getIsa());
      if (kernel.getForm())
        layer["form"] = stringifyKernelForm(*kernel.getForm());
      if (kernel.getLanes())
        layer["lanes"] = kernel.getLanes();
      if (kernel.getRequant())
        layer["requant"] = stringifyRequantForm(*kernel.getRequant());
      std::string tile = describeTile(kernel);
      if (!tile.empty())
        layer["tile"] = tile;
    }
    layers.push_back(std::move(layer));
  });
  return layers;
}

/// Adds {"kernels": {cpu, layers: [...]}} to the cost report the pipeline
/// wrote.
LogicalResult recordKernels(llvm::StringRef path, llvm::json::Array layers,
                            const llvm::TargetMachine &machine) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    fail("cannot read back the report '" + path + "'");
    return failure();
  }
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  llvm::json::Object *root = json ? json->getAsObject() : nullptr;
  if (!root) {
    if (!json)
      llvm::consumeError(json.takeError());
    fail("the report '" + path + "' is not a JSON object");
    return failure();
  }
  (*root)["kernels"] = llvm::json::Object{{"cpu", machine.getTargetCPU()},
                                          {"layers", std::move(layers)}};
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  if (error) {
    fail("cannot write '" + path + "': " + error.message());
    return failure();
  }
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(*root))) << "\n";
  return success();
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &context,
                                llvm::SourceMgr &sourceMgr) {
  std::string error;
  auto buffer = llvm::MemoryBuffer::getFile(inputFile, /*IsText=*/false);
  if (!buffer) {
    fail("cannot read '" + inputFile + "': " + buffer.getError().message());
    return nullptr;
  }
  if (llvm::StringRef(inputFile).ends_with(".mlir")) {
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    return parseSourceFile<ModuleOp>(sourceMgr, &context);
  }
  OnnxImportOptions options;
  for (const std::string &shape : inputShapes)
    if (!parseInputShapeOption(shape, options)) {
      fail("malformed --input-shape '" + shape + "' (want NAME=1x3x224x224)");
      return nullptr;
    }
  return importOnnxModel((*buffer)->getBuffer(), inputFile, &context, options);
}

/// Quantization as docs/quantization.md describes it. A model that already
/// holds Q/DQ pairs (an imported QDQ model) keeps its own quantization.
LogicalResult quantize(ModuleOp module) {
  bool quantized = false;
  module.walk([&](Operation *op) {
    if (op->getName().getStringRef() == "prom.dequantize")
      quantized = true;
  });
  QuantizeModelPipelineOptions options;
  options.policy = policy;
  options.weightBudget = weightBudget;
  options.overrides =
      std::vector<std::string>(overrides.begin(), overrides.end());
  options.overrideFile = overrideFile;
  options.calibrationDir = calibrationDir;
  options.quantized = quantized;
  options.report = report;
  options.haste = haste;
  options.hasteLayers = hasteLayers;
  options.hasteHyperplanes = hasteL;
  options.hastePatch =
      std::vector<int64_t>(hastePatch.begin(), hastePatch.end());
  PassManager pm(module.getContext());
  if (mlirTiming)
    pm.enableTiming();
  buildQuantizeModelPipeline(pm, options);
  if (failed(pm.run(module)))
    return failure();
  if (haste &&
      !module.walk([](HasteBucketsOp) { return WalkResult::interrupt(); })
           .wasInterrupted())
    llvm::errs() << "promc: warning: --haste rewrote no convolution "
                    "(depthwise convolutions are never rewritten)\n";
  return success();
}

Emit emitFromExtension(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  return llvm::StringSwitch<Emit>(ext)
      .Case(".mlir", Emit::MLIR)
      .Case(".ll", Emit::LLVM)
      .Case(".s", Emit::Asm)
      .Case(".o", Emit::Obj)
      .Default(Emit::SharedLibrary);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "promc: compile a CNN (ONNX or MLIR) into a native library with a C "
      "entry point\n\n  promc model.onnx -o model.so   # also writes "
      "model.h\n");

  Emit what = emit.getNumOccurrences()
                  ? emit.getValue()
                  : (outputFile.empty() ? Emit::SharedLibrary
                                        : emitFromExtension(outputFile));
  static const char *extensions[] = {".mlir", ".ll", ".s", ".o", ".so"};
  std::string output = outputFile.empty()
                           ? stem(inputFile) + extensions[int(what)]
                           : outputFile.getValue();
  if (optLevel > 3)
    return fail("-O" + llvm::Twine(optLevel) + " is not 0, 1, 2 or 3");
  if (profile && what != Emit::SharedLibrary)
    return fail("--profile builds and runs a shared library (--emit=so)");
  if (!profile &&
      (profileRuns.getNumOccurrences() || profileJson.getNumOccurrences()))
    return fail("--profile-runs and --profile-json need --profile");
  auto machine = createTargetMachine();
  if (!machine)
    return fail(llvm::toString(machine.takeError()));

  DialectRegistry registry;
  registerPromDialects(registry);
  registerPromToLLVMDependencies(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = loadModel(context, sourceMgr);
  if (!module)
    return 1; // reported
  func::FuncOp entry;
  for (auto fn : module->getOps<func::FuncOp>())
    if (fn.isPublic() && !fn.isExternal()) {
      if (entry)
        return fail("the model has more than one public function");
      entry = fn;
    }
  if (!entry)
    return fail("the model has no public function");

  if (failed(quantize(*module)))
    return 1;
  if (what == Emit::MLIR) {
    std::string error;
    auto file = openOutputFile(output, &error);
    if (!file)
      return fail(error);
    module->print(file->os());
    file->os() << "\n";
    file->keep();
    return 0;
  }

  // The C signature, read before lowering erases the tensor types.
  promc::EntryPointSignature signature;
  signature.name = identifier(name.empty() ? stem(inputFile) : name) + "_run";
  signature.interface = ("_mlir_ciface_" + entry.getName()).str();
  auto parameter = [&](Type type,
                       bool isUint8) -> std::optional<promc::TensorParameter> {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      return std::nullopt;
    Type e = tensor.getElementType();
    if (e.isF32())
      return promc::TensorParameter{
          "float", 4, llvm::SmallVector<int64_t>(tensor.getShape())};
    if (e.isInteger(8) && isUint8)
      return promc::TensorParameter{
          "uint8_t", 1, llvm::SmallVector<int64_t>(tensor.getShape())};
    if (e.isInteger(8) || e.isInteger(32))
      return promc::TensorParameter{
          e.isInteger(8) ? "int8_t" : "int32_t", e.isInteger(8) ? 1u : 4u,
          llvm::SmallVector<int64_t>(tensor.getShape())};
    return std::nullopt;
  };
  for (auto [results, out] : {std::make_pair(false, &signature.inputs),
                              std::make_pair(true, &signature.outputs)}) {
    ArrayRef<Type> types =
        results ? entry.getResultTypes() : entry.getArgumentTypes();
    for (auto [i, type] : llvm::enumerate(types)) {
      bool isUint8 = results
                         ? bool(entry.getResultAttr(i, prom::kUint8AttrName))
                         : bool(entry.getArgAttr(i, prom::kUint8AttrName));
      std::optional<promc::TensorParameter> p = parameter(type, isUint8);
      if (!p)
        return fail("'" + entry.getName() +
                    "' has a parameter or result that is not a static f32, "
                    "i8 or i32 tensor");
      out->push_back(*p);
    }
  }

  PassManager lower(&context);
  // Verifying the whole module after each of the lowering's ~40 passes took
  // a quarter of the compile; the result is verified once at the end.
  lower.enableVerifier(verifyEach);
  if (mlirTiming)
    lower.enableTiming();
  // The target is the machine code is generated for; each layer's kernel is
  // chosen for it once, then carried out by the pipeline.
  (*module)->setAttr(kTargetAttrName,
                     describeTarget(&context, *(*machine)->getMCSubtargetInfo(),
                                    /*isHost=*/mcpu.empty() && mattr.empty()));
  if (kernelIsa != "auto" && !parseKernelIsa(kernelIsa))
    return fail("unknown --kernel-isa '" + kernelIsa +
                "' (expected auto, none, avx2, avx512-vnni or amx-int8)");
  PromSelectKernelsOptions select;
  select.isa = kernelIsa;
  select.ternaryKernel = ternaryKernelName();
  select.pointwiseKernel = pointwiseKernel;
  select.depthwiseForm = depthwiseForm;
  if (!pointwiseTile.empty()) {
    auto [p, b] = llvm::StringRef(pointwiseTile).split('x');
    int64_t pixels, blocks;
    if (p.getAsInteger(10, pixels) || b.getAsInteger(10, blocks) ||
        pixels < 0 || blocks < 0 || pixels > 64 || blocks > 64) {
      fail("--pointwise-tile='" + pointwiseTile +
           "' is not PIXELSxBLOCKS (two integers 0-64, e.g. 6x2)");
      return 1;
    }
    select.tilePixels = pixels;
    select.tileBlocks = blocks;
  }
  lower.addPass(createPromSelectKernels(select));
  if (failed(lower.run(*module)))
    return 1;
  llvm::json::Array layers = listKernels(*module);
  lower.clear();
  PromToLLVMPipelineOptions pipeline;
  pipeline.profile = profile;
  pipeline.outlineLayers = outlineLayers;
  buildPromToLLVMPipeline(lower, pipeline);
  if (failed(lower.run(*module)))
    return 1;
  if (!verifyEach && failed(verify(*module)))
    return fail("the lowered model does not verify (run with --verify-each "
                "to find the pass)");
  ArrayAttr profiledLayers;
  if (profile) {
    profiledLayers =
        (*module)->getAttrOfType<ArrayAttr>(kProfileLayersAttrName);
    if (!profiledLayers)
      return fail("--profile: the lowered model has no " +
                  kProfileLayersAttrName);
    signature.profile =
        signature.name.substr(0, signature.name.size() - 4) + "_profile";
    for (Attribute layer : profiledLayers) {
      auto dict = cast<DictionaryAttr>(layer);
      auto layerName = dict.getAs<StringAttr>("name");
      signature.profileLayers.push_back(
          (layerName && !layerName.getValue().empty()
               ? layerName
               : dict.getAs<StringAttr>("op"))
              .getValue()
              .str());
    }
  }
  // (A report on stdout has gone out already: it keeps the cost only.)
  if (!report.empty() && report != "-")
    if (failed(recordKernels(report, std::move(layers), **machine)))
      return 1;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, stem(inputFile));
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  llvmModule->setDataLayout((*machine)->createDataLayout());
  signature.requestsAmx = llvmModule->getFunction(promc::amxRequest);
  promc::addEntryPoint(*llvmModule, signature);
  // Only the entry point is exported: the model's own functions (`main`!)
  // must neither clash with nor be interposed by the program's symbols.
  for (llvm::GlobalValue &global : llvmModule->global_values())
    if (!global.isDeclaration() && global.getName() != signature.name &&
        global.getName() != signature.profile)
      global.setLinkage(llvm::GlobalValue::InternalLinkage);
  unsigned parts = jobs.getNumOccurrences()
                       ? jobs.getValue()
                       : llvm::hardware_concurrency().compute_thread_count();
  std::vector<std::string> objects;
  if (what == Emit::SharedLibrary && parts > 1) {
    auto compiled = promc::emitObjectParts(std::move(llvmModule), parts,
                                           optLevel, createTargetMachine);
    if (!compiled)
      return fail(llvm::toString(compiled.takeError()));
    objects = std::move(*compiled);
  } else if (llvm::Error e = makeOptimizingTransformer(
                 optLevel, /*sizeLevel=*/0, machine->get())(llvmModule.get())) {
    return fail("LLVM optimization failed: " + llvm::toString(std::move(e)));
  }

  std::string error;
  if (what == Emit::LLVM) {
    auto file = openOutputFile(output, &error);
    if (!file)
      return fail(error);
    llvmModule->print(file->os(), nullptr);
    file->keep();
    return 0;
  }
  std::string objectPath = output;
  llvm::SmallString<128> temporary;
  if (what == Emit::SharedLibrary && objects.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("promc", "o", temporary))
      return fail("cannot create a temporary file: " + ec.message());
    objectPath = temporary.str().str();
    objects.push_back(objectPath);
  }
  if (llvmModule) {
    auto file = openOutputFile(objectPath, &error);
    if (!file)
      return fail(error);
    llvm::legacy::PassManager codegen;
    if ((*machine)->addPassesToEmitFile(
            codegen, file->os(), nullptr,
            what == Emit::Asm ? llvm::CodeGenFileType::AssemblyFile
                              : llvm::CodeGenFileType::ObjectFile))
      return fail("the target cannot emit this file type");
    codegen.run(*llvmModule);
    file->keep();
  }
  if (what == Emit::Asm)
    return 0;
  if (what == Emit::SharedLibrary) {
    llvm::ErrorOr<std::string> linker =
        llvm::sys::findProgramByName("ld.lld-22");
    if (!linker)
      linker = llvm::sys::findProgramByName("ld.lld");
    if (!linker)
      return fail("ld.lld not found (Debian package lld-22)");
    llvm::SmallVector<llvm::StringRef> args = {*linker, "-shared", "-o",
                                               output};
    llvm::append_range(args, objects);
    // Float ops without a vector form (exp, pow, ...) call libm: record it
    // as needed, where the target's multiarch directory has it.
    const llvm::Triple &triple = (*machine)->getTargetTriple();
    std::string libDir = "/usr/lib/" + triple.getArchName().str() + "-" +
                         triple.getOSName().str() + "-" +
                         triple.getEnvironmentName().str();
    std::string libDirFlag = "-L" + libDir;
    if (llvm::sys::fs::exists(libDir + "/libm.so"))
      args.append({libDirFlag, "--as-needed", "-lm"});
    std::string message;
    int status = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, {}, 0,
                                           0, &message);
    for (const std::string &object : objects)
      llvm::sys::fs::remove(object);
    if (status != 0)
      return fail("linking '" + output + "' failed" +
                  (message.empty() ? "" : ": " + message));
  }
  std::string header =
      (llvm::sys::path::parent_path(output).empty()
           ? stem(output)
           : (llvm::sys::path::parent_path(output) + "/" + stem(output))
                 .str()) +
      ".h";
  auto file = openOutputFile(header, &error);
  if (!file)
    return fail(error);
  promc::writeHeader(file->os(), signature,
                     llvm::sys::path::filename(inputFile));
  file->keep();
  if (profile && profileRuns > 0)
    if (llvm::Error e = promc::runProfile(output, signature, profiledLayers,
                                          profileRuns, profileJson))
      return fail("--profile: " + llvm::toString(std::move(e)));
  return 0;
}
