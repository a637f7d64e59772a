//===- prom-run.cpp - compile prom IR for the host and run it -------------===//
//
// Lowers an MLIR file (prom, TOSA, linalg on tensors) with prom-to-llvm,
// JIT-compiles it for this CPU, runs one function on deterministic
// pseudo-random inputs (or zeros) and prints the results.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/LayerFunctions.h"
#include "Prom/Execution/JitModule.h"
#include "Prom/Execution/Profile.h"
#include "Prom/Pipelines/Pipelines.h"
#include "Prom/Registration/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <random>

using namespace mlir;
using namespace mlir::prom;

static llvm::cl::OptionCategory category("prom-run options");

static llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                            llvm::cl::desc("<input.mlir>"),
                                            llvm::cl::Required,
                                            llvm::cl::cat(category));
static llvm::cl::opt<std::string>
    entry("entry",
          llvm::cl::desc("Function to run (default: the first public one)"),
          llvm::cl::cat(category));
static llvm::cl::opt<unsigned>
    seed("seed", llvm::cl::desc("Seed of the pseudo-random inputs"),
         llvm::cl::init(1), llvm::cl::cat(category));
static llvm::cl::opt<bool> zeros("zeros",
                                 llvm::cl::desc("Run on all-zero inputs"),
                                 llvm::cl::cat(category));
static llvm::cl::opt<unsigned>
    printLimit("print-limit",
               llvm::cl::desc("Print at most this many values per result"),
               llvm::cl::init(32), llvm::cl::cat(category));
static llvm::cl::list<std::string> inputFiles(
    "input-file",
    llvm::cl::desc("Raw little-endian contents of an input, in order of the "
                   "function's arguments (the rest are pseudo-random)"),
    llvm::cl::cat(category));
static llvm::cl::list<std::string> outputFiles(
    "output-file",
    llvm::cl::desc("Write the raw bytes of a result, in order of results"),
    llvm::cl::cat(category));
static llvm::cl::opt<std::string> kernelIsa(
    "kernel-isa",
    llvm::cl::desc("ISA of prom's optimized kernels: auto (this CPU's best), "
                   "none (reference lowering), avx2, avx512-vnni, amx-int8"),
    llvm::cl::init("auto"), llvm::cl::cat(category));
static llvm::cl::opt<unsigned> optLevel("O", llvm::cl::desc("LLVM -O level"),
                                        llvm::cl::init(2), llvm::cl::Prefix,
                                        llvm::cl::cat(category));
static llvm::cl::opt<bool> hasteCounts(
    "haste-counts",
    llvm::cl::desc("Print the input channels each HASTE layer kept (needs "
                   "IR from prom-haste{count-channels=1})"),
    llvm::cl::cat(category));
static llvm::cl::opt<std::string> hasteReport(
    "haste-report",
    llvm::cl::desc("Write the HASTE counters as JSON to this file: the "
                   "haste-counts input of prom-cost-report (needs IR from "
                   "prom-haste{count-channels=1})"),
    llvm::cl::value_desc("file"), llvm::cl::cat(category));

static llvm::cl::opt<bool>
    profile("profile",
            llvm::cl::desc("Time every layer (prom-profile-layers) over "
                           "--profile-runs calls and print a per-layer table"),
            llvm::cl::cat(category));
static llvm::cl::opt<unsigned>
    profileRuns("profile-runs",
                llvm::cl::desc("Timed calls of --profile (after 5 warm-up "
                               "calls)"),
                llvm::cl::init(100), llvm::cl::cat(category));
static llvm::cl::opt<std::string> profileJson(
    "profile-json",
    llvm::cl::desc("With --profile, also write the per-layer times as JSON"),
    llvm::cl::value_desc("file"), llvm::cl::cat(category));

namespace {
/// One HASTE layer's counters after the calls prom-run made.
struct HasteLayerCount {
  std::string name;
  int64_t channels, patchesPerCall, macs;
  double kept; // mean input channels kept per patch
  /// A conv's MACs scale with its input channels.
  double macsKept() const { return double(macs) * kept / double(channels); }
};
} // namespace

/// Rows of `prom_haste_channels` (per layer: channels kept summed over
/// patches, patches) over `calls` calls, named by the module's
/// prom.haste_layers.
static std::vector<HasteLayerCount>
readHasteCounts(ArrayAttr layers, const int64_t *rows, int64_t calls) {
  std::vector<HasteLayerCount> counts;
  for (auto [i, attr] : llvm::enumerate(layers)) {
    auto row = cast<DictionaryAttr>(attr);
    int64_t patches = rows[2 * i + 1];
    HasteLayerCount c;
    c.name = cast<StringAttr>(row.get("name")).getValue().str();
    c.channels = cast<IntegerAttr>(row.get("channels")).getInt();
    c.macs = cast<IntegerAttr>(row.get("macs")).getInt();
    c.patchesPerCall = patches / calls;
    c.kept = patches ? double(rows[2 * i]) / double(patches) : 0.0;
    counts.push_back(std::move(c));
  }
  return counts;
}

static void printHasteCounts(ArrayRef<HasteLayerCount> counts) {
  llvm::outs() << "HASTE: input channels kept per patch (mean)\n";
  double macs = 0, macsKept = 0;
  for (const HasteLayerCount &c : counts) {
    macs += double(c.macs);
    macsKept += c.macsKept();
    llvm::outs() << llvm::format("  %-32s %5lld -> %8.2f (%5.1f%%), %lld "
                                 "patches per call\n",
                                 c.name.c_str(), (long long)c.channels, c.kept,
                                 100.0 * c.kept / double(c.channels),
                                 (long long)c.patchesPerCall);
  }
  llvm::outs() << llvm::format(
      "  MACs of these layers: %.1f M -> %.1f M (%.1f%% fewer)\n", macs / 1e6,
      macsKept / 1e6, macs ? 100.0 * (1.0 - macsKept / macs) : 0.0);
}

/// The JSON prom-cost-report's haste-counts option reads (docs/haste.md).
static void writeHasteReport(llvm::raw_ostream &os,
                             ArrayRef<HasteLayerCount> counts, int64_t calls) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("calls", calls);
    json.attributeArray("layers", [&] {
      for (const HasteLayerCount &c : counts)
        json.object([&] {
          json.attribute("layer", c.name);
          json.attribute("input_channels", c.channels);
          json.attribute("kept_channels", c.kept);
          json.attribute("patches_per_call", c.patchesPerCall);
          json.attribute("macs", c.macs);
          json.attribute("macs_kept", c.macsKept());
        });
    });
  });
  os << "\n";
}

static int fail(const llvm::Twine &message) {
  llvm::errs() << "prom-run: error: " << message << "\n";
  return 1;
}

static HostTensor makeInput(RankedTensorType type, std::mt19937 &rng) {
  HostTensor t;
  t.shape.assign(type.getShape().begin(), type.getShape().end());
  Type element = type.getElementType();
  t.kind = element.isInteger(8)    ? ElementKind::I8
           : element.isInteger(32) ? ElementKind::I32
           : element.isInteger(64) ? ElementKind::I64
                                   : ElementKind::F32;
  t.bytes.assign(t.numElements() * HostTensor::elementSize(t.kind), 0);
  if (zeros)
    return t;
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (t.kind == ElementKind::I8)
      t.bytes[i] = uint8_t(rng() & 0xff);
    else if (t.kind == ElementKind::I32)
      reinterpret_cast<int32_t *>(t.bytes.data())[i] =
          int32_t(rng() % 2001) - 1000;
    else if (t.kind == ElementKind::I64)
      reinterpret_cast<int64_t *>(t.bytes.data())[i] =
          int64_t(rng() % 2001) - 1000;
    else
      reinterpret_cast<float *>(t.bytes.data())[i] =
          std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
  }
  return t;
}

static void print(const HostTensor &t) {
  llvm::outs() << "tensor<";
  for (int64_t d : t.shape)
    llvm::outs() << d << "x";
  llvm::outs() << (t.kind == ElementKind::I8    ? "i8"
                   : t.kind == ElementKind::I32 ? "i32"
                   : t.kind == ElementKind::I64 ? "i64"
                                                : "f32")
               << "> [";
  int64_t n = t.numElements();
  for (int64_t i = 0; i < n && i < int64_t(printLimit); ++i) {
    if (i)
      llvm::outs() << ", ";
    if (t.kind == ElementKind::I8)
      llvm::outs() << int(t.as<int8_t>()[i]);
    else if (t.kind == ElementKind::I32)
      llvm::outs() << t.as<int32_t>()[i];
    else if (t.kind == ElementKind::I64)
      llvm::outs() << t.as<int64_t>()[i];
    else
      llvm::outs() << t.as<float>()[i];
  }
  if (n > int64_t(printLimit))
    llvm::outs() << ", ... (" << n << " values)";
  llvm::outs() << "]\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --help lists prom-run's own options, not every LLVM library's.
  llvm::cl::HideUnrelatedOptions(category);
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "prom-run: compile prom/TOSA/linalg IR for this CPU and run it\n");

  DialectRegistry registry;
  registerPromDialects(registry);
  registerPromToLLVMDependencies(registry);
  MLIRContext context(registry);

  std::string error;
  auto file = openInputFile(inputFile, &error);
  if (!file)
    return fail(error);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1; // the parser has reported where

  func::FuncOp fn;
  for (auto candidate : module->getOps<func::FuncOp>())
    if (candidate.isPublic() && !candidate.isExternal() &&
        (entry.empty() || candidate.getName() == entry)) {
      fn = candidate;
      break;
    }
  if (!fn)
    return fail(entry.empty() ? "no public function to run"
                              : "no public function '" + entry + "'");
  std::string name = fn.getName().str();
  std::vector<HostTensor> inputs;
  std::mt19937 rng(seed);
  for (Type type : fn.getArgumentTypes()) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      return fail("'" + name +
                  "' takes an argument that is not a static "
                  "tensor; prom-run can only make static inputs");
    inputs.push_back(makeInput(tensor, rng));
  }
  if (inputFiles.size() > inputs.size())
    return fail(Twine(inputFiles.size()) + " input files for " +
                Twine(inputs.size()) + " arguments");
  for (auto [i, path] : llvm::enumerate(inputFiles)) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
    if (!buffer)
      return fail("cannot read input file '" + path +
                  "': " + buffer.getError().message());
    StringRef bytes = (*buffer)->getBuffer();
    if (bytes.size() != inputs[i].bytes.size())
      return fail("input file '" + path + "' holds " + Twine(bytes.size()) +
                  " bytes; argument " + Twine(i) + " needs " +
                  Twine(inputs[i].bytes.size()));
    inputs[i].bytes.assign(bytes.begin(), bytes.end());
  }

  // Read before compiling: the lowering rewrites the module.
  auto hasteLayers = (*module)->getAttrOfType<ArrayAttr>("prom.haste_layers");
  bool wantCounts = hasteCounts || !hasteReport.empty();
  if (wantCounts && !hasteLayers)
    return fail(Twine(hasteCounts ? "--haste-counts" : "--haste-report") +
                ": the module has no HASTE counters (run prom-haste with "
                "count-channels=1)");

  auto start = std::chrono::steady_clock::now();
  if (!profileJson.empty() && !profile)
    return fail("--profile-json needs --profile");
  if (profile && profileRuns == 0)
    return fail("--profile-runs must be at least 1");
  if (kernelIsa != "auto" && !mlir::prom::parseKernelIsa(kernelIsa))
    return fail("unknown --kernel-isa '" + kernelIsa +
                "' (expected auto, none, avx2, avx512-vnni or amx-int8)");
  auto jit =
      JitModule::compile(*module, optLevel, /*cpu=*/"", kernelIsa, profile);
  if (!jit)
    return fail(llvm::toString(jit.takeError()));
  auto compiled = std::chrono::steady_clock::now();
  double compileMs =
      std::chrono::duration<double, std::milli>(compiled - start).count();
  // The first call also resolves the JIT's symbols; time the second.
  auto results = (*jit)->call(name, inputs);
  if (!results)
    return fail(llvm::toString(results.takeError()));
  compiled = std::chrono::steady_clock::now();
  results = (*jit)->call(name, inputs);
  if (!results)
    return fail(llvm::toString(results.takeError()));
  auto ran = std::chrono::steady_clock::now();

  using ms = std::chrono::duration<double, std::milli>;
  llvm::outs() << "@" << name << ": compiled in "
               << llvm::format("%.1f", compileMs) << " ms, ran in "
               << llvm::format("%.3f", ms(ran - compiled).count()) << " ms\n";
  for (const HostTensor &result : *results)
    print(result);
  if (wantCounts) {
    auto counters = (*jit)->lookup("prom_haste_channels");
    if (!counters)
      return fail(llvm::toString(counters.takeError()));
    // Both calls above counted.
    const int64_t calls = 2;
    std::vector<HasteLayerCount> counts = readHasteCounts(
        hasteLayers, static_cast<const int64_t *>(*counters), calls);
    if (hasteCounts)
      printHasteCounts(counts);
    if (!hasteReport.empty()) {
      std::string error;
      std::unique_ptr<llvm::ToolOutputFile> file =
          openOutputFile(hasteReport, &error);
      if (!file)
        return fail("--haste-report: " + error);
      writeHasteReport(file->os(), counts, calls);
      file->keep();
    }
  }
  if (profile) {
    auto counters = (*jit)->lookup(kProfileCountersName);
    if (!counters)
      return fail(llvm::toString(counters.takeError()));
    auto layers = (*module)->getAttrOfType<ArrayAttr>(kProfileLayersAttrName);
    if (!layers)
      return fail("the compiled module has no " + kProfileLayersAttrName);
    auto read = measureProfile(
        layers, static_cast<const int64_t *>(*counters), profileRuns, [&] {
          auto r = (*jit)->call(name, inputs, /*keepResults=*/false);
          return r ? llvm::Error::success() : r.takeError();
        });
    if (!read)
      return fail(llvm::toString(read.takeError()));
    if (llvm::Error e = reportProfile(*read, profileJson))
      return fail(llvm::toString(std::move(e)));
  }
  for (auto [i, path] : llvm::enumerate(outputFiles)) {
    if (i >= results->size())
      return fail("more output files than results");
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
    if (ec)
      return fail("cannot write '" + path + "': " + ec.message());
    const HostTensor &result = (*results)[i];
    os.write(reinterpret_cast<const char *>(result.bytes.data()),
             result.bytes.size());
  }
  return 0;
}
