//===- ParallelCodegen.cpp - promc: optimize and compile on several threads ==//

#include "ParallelCodegen.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

using namespace llvm;

/// Optimizes and compiles one part into the object file `path`; returns an
/// error message, or "".
static std::string compilePart(StringRef bitcode, TargetMachine &machine,
                               unsigned optLevel, StringRef path) {
  LLVMContext context;
  Expected<std::unique_ptr<Module>> module =
      parseBitcodeFile(MemoryBufferRef(bitcode, "part"), context);
  if (!module)
    return toString(module.takeError());
  if (Error e = mlir::makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                                &machine)(module->get()))
    return "LLVM optimization failed: " + toString(std::move(e));
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return "cannot write '" + path.str() + "': " + ec.message();
  legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, os, nullptr,
                                  CodeGenFileType::ObjectFile))
    return "the target cannot emit object files";
  codegen.run(**module);
  return "";
}

/// Splits `module` into `parts` modules of about equal work, as bitcode:
/// whole functions, largest first, each to the part with the fewest
/// instructions so far; a global variable goes with its first user. (Not
/// llvm::SplitModule: it places functions by a hash of their names, and
/// one part of MobileNetV3-small then took two thirds of the time.)
static std::vector<SmallString<0>> splitModule(Module &module, unsigned parts) {
  // Locals that another part may reference become hidden globals.
  for (GlobalValue &global : module.global_values()) {
    if (global.isDeclaration())
      continue;
    if (!global.hasName())
      global.setName("prom_part_local");
    if (global.hasLocalLinkage()) {
      global.setLinkage(GlobalValue::ExternalLinkage);
      global.setVisibility(GlobalValue::HiddenVisibility);
    }
  }
  // (size, position): largest first, ties in module order.
  SmallVector<std::tuple<size_t, size_t, Function *>> functions;
  for (Function &function : module)
    if (!function.isDeclaration())
      functions.push_back(
          {function.getInstructionCount(), functions.size(), &function});
  llvm::sort(functions, [](const auto &a, const auto &b) {
    return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) > std::get<0>(b)
                                            : std::get<1>(a) < std::get<1>(b);
  });
  DenseMap<const GlobalValue *, unsigned> partOf;
  SmallVector<size_t> load(parts, 0);
  for (auto [size, position, function] : functions) {
    unsigned part = llvm::min_element(load) - load.begin();
    partOf[function] = part;
    load[part] += size;
  }
  for (GlobalVariable &global : module.globals()) {
    unsigned part = 0;
    for (User *user : global.users())
      if (auto *inst = dyn_cast<Instruction>(user)) {
        part = partOf.lookup(inst->getFunction());
        break;
      }
    partOf[&global] = part;
  }

  std::vector<SmallString<0>> bitcode(parts);
  for (unsigned part = 0; part < parts; ++part) {
    ValueToValueMapTy map;
    std::unique_ptr<Module> copy =
        CloneModule(module, map, [&](const GlobalValue *global) {
          return partOf.lookup(global) == part;
        });
    raw_svector_ostream os(bitcode[part]);
    WriteBitcodeToFile(*copy, os);
  }
  return bitcode;
}

Expected<std::vector<std::string>>
promc::emitObjectParts(std::unique_ptr<Module> module, unsigned parts,
                       unsigned optLevel, TargetMachineFactory createMachine) {
  // Each part as bitcode: a module cannot move to another context, and
  // contexts are what threads must not share.
  std::vector<SmallString<0>> bitcode =
      splitModule(*module, std::max(parts, 1u));
  module.reset();

  std::vector<std::unique_ptr<TargetMachine>> machines;
  std::vector<std::string> objects;
  auto removeObjects = [&] {
    for (const std::string &path : objects)
      sys::fs::remove(path);
  };
  for (size_t i = 0; i < bitcode.size(); ++i) {
    Expected<std::unique_ptr<TargetMachine>> machine = createMachine();
    SmallString<128> path;
    std::error_code ec = sys::fs::createTemporaryFile("promc", "o", path);
    if (!machine || ec) {
      removeObjects();
      if (!machine)
        return machine.takeError();
      return createStringError("cannot create a temporary file: " +
                               ec.message());
    }
    machines.push_back(std::move(*machine));
    objects.push_back(path.str().str());
  }

  std::vector<std::string> errors(bitcode.size());
  {
    DefaultThreadPool pool(hardware_concurrency(bitcode.size()));
    for (size_t i = 0; i < bitcode.size(); ++i)
      pool.async([&, i] {
        errors[i] = compilePart(bitcode[i], *machines[i], optLevel, objects[i]);
      });
    pool.wait();
  }
  for (const std::string &error : errors)
    if (!error.empty()) {
      removeObjects();
      return createStringError(error);
    }
  return objects;
}
