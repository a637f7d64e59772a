//===- TargetDescription.cpp - the CPU prom compiles for ------------------===//

#include "Prom/Codegen/CPU/Common/TargetDescription.h"

#include "Prom/Dialect/Prom/IR/PromDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>
#include <unistd.h>

using namespace mlir;
using namespace mlir::prom;

namespace {

/// The host's L1 data or L2 cache in bytes (glibc reads them with cpuid,
/// which VMs pass through where sysfs may have no cache entries), or 0.
int64_t hostCacheBytes(int level) {
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  long bytes =
      sysconf(level == 1 ? _SC_LEVEL1_DCACHE_SIZE : _SC_LEVEL2_CACHE_SIZE);
  return bytes > 0 ? bytes : 0;
#else
  return 0;
#endif
}

} // namespace

TargetAttr mlir::prom::describeTarget(MLIRContext *context,
                                      const llvm::MCSubtargetInfo &subtarget,
                                      bool isHost) {
  auto has = [&](llvm::StringRef feature) {
    return subtarget.checkFeatures(("+" + feature).str());
  };
  const llvm::Triple &triple = subtarget.getTargetTriple();
  CpuArch arch = CpuArch::Generic;
  CpuFeatures features = CpuFeatures::None;
  int64_t vectorBits = 128, registers = 16;
  auto add = [&](bool present, CpuFeatures feature) {
    if (present)
      features = features | feature;
  };
  if (triple.getArch() == llvm::Triple::x86_64) {
    arch = CpuArch::X86_64;
    add(has("avx2"), CpuFeatures::Avx2);
    add(has("avx512f"), CpuFeatures::Avx512F);
    add(has("avx512bw"), CpuFeatures::Avx512Bw);
    add(has("avx512vnni"), CpuFeatures::Avx512Vnni);
    add(has("avxvnni"), CpuFeatures::AvxVnni);
    add(has("amx-int8"), CpuFeatures::AmxInt8);
    add(has("avx512vbmi"), CpuFeatures::Avx512Vbmi);
    vectorBits = has("avx512f") ? 512 : has("avx") ? 256 : 128;
    registers = has("avx512f") ? 32 : 16;
  } else if (triple.getArch() == llvm::Triple::aarch64) {
    arch = CpuArch::AArch64;
    add(has("neon"), CpuFeatures::Neon);
    add(has("dotprod"), CpuFeatures::DotProd);
    add(has("i8mm"), CpuFeatures::I8mm);
    registers = 32;
  }
  // Also outside passes (JitModule, promc), on modules without prom ops.
  context->getOrLoadDialect<PromDialect>();
  int64_t l1d = isHost ? hostCacheBytes(1) : 0;
  int64_t l2 = isHost ? hostCacheBytes(2) : 0;
  return TargetAttr::get(context, arch, subtarget.getCPU(), features,
                         vectorBits, registers, l1d > 0 ? l1d : 32 * 1024,
                         l2 > 0 ? l2 : 1024 * 1024);
}

llvm::Expected<TargetAttr>
mlir::prom::describeTarget(MLIRContext *context, llvm::StringRef triple,
                           llvm::StringRef cpu, llvm::StringRef features) {
  static std::once_flag initTargets;
  std::call_once(initTargets, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargetMCs();
  });
  bool isHost = triple.empty() && cpu.empty() && features.empty();
  llvm::Triple target(triple.empty() ? llvm::sys::getProcessTriple()
                                     : triple.str());
  std::string cpuName = cpu.empty() && triple.empty()
                            ? llvm::sys::getHostCPUName().str()
                        : cpu.empty() ? "generic"
                                      : cpu.str();
  std::string featureString = features.str();
  if (isHost) {
    SmallVector<std::string> host;
    for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
      host.push_back((enabled ? "+" : "-") + name.str());
    llvm::sort(host);
    featureString = llvm::join(host, ",");
  }
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(target, error);
  if (!llvmTarget)
    return llvm::createStringError("unknown target triple '" + target.str() +
                                   "': " + error);
  // Names are checked against a plain subtarget first: LLVM would warn
  // about an unknown CPU, and abort on an unknown feature.
  std::unique_ptr<llvm::MCSubtargetInfo> plain(
      llvmTarget->createMCSubtargetInfo(target, "", ""));
  if (!plain)
    return llvm::createStringError("no subtarget for '" + target.str() + "'");
  if (!plain->isCPUStringValid(cpuName))
    return llvm::createStringError("unknown CPU '" + cpuName + "' for " +
                                   target.str());
  // The host's list is LLVM's own; a name this LLVM lacks is left out.
  SmallVector<std::string> known;
  for (llvm::StringRef feature : llvm::split(featureString, ',')) {
    llvm::StringRef bare =
        feature.trim().drop_while([](char c) { return c == '+' || c == '-'; });
    if (bare.empty())
      continue;
    if (llvm::any_of(
            plain->getAllProcessorFeatures(),
            [&](const llvm::SubtargetFeatureKV &kv) { return bare == kv.Key; }))
      known.push_back(feature.trim().str());
    else if (!isHost)
      return llvm::createStringError("unknown feature '" + bare.str() +
                                     "' for " + target.str());
  }
  featureString = llvm::join(known, ",");
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      llvmTarget->createMCSubtargetInfo(target, cpuName, featureString));
  return describeTarget(context, *subtarget, isHost);
}

TargetAttr mlir::prom::getTarget(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  return module ? module->getAttrOfType<TargetAttr>(kTargetAttrName)
                : TargetAttr();
}
