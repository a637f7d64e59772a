//===- Differential.cpp - compiled prom IR vs the golden model ------------===//

#include "Differential.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/TargetDescription.h"
#include "Prom/Dialect/Prom/IR/PromDialect.h"
#include "Prom/Pipelines/Pipelines.h"
#include "Prom/Registration/Registration.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/TargetParser/Host.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace differential {

int32_t Random::zeroPoint() {
  switch (uniform(0, 3)) {
  case 0:
    return -128;
  case 1:
    return 127;
  default:
    return static_cast<int32_t>(uniform(-128, 127));
  }
}

std::vector<int8_t> Random::int8s(size_t n) {
  std::vector<int8_t> values(n);
  if (chance(0.05)) {
    int8_t extreme = chance(0.5) ? -128 : 127;
    std::fill(values.begin(), values.end(), extreme);
    return values;
  }
  for (int8_t &v : values)
    v = static_cast<int8_t>(uniform(-128, 127));
  return values;
}

std::pair<int32_t, int32_t> Random::clamp() {
  if (chance(0.7))
    return {-128, 127};
  int32_t a = static_cast<int32_t>(uniform(-128, 127));
  int32_t b = static_cast<int32_t>(uniform(-128, 127));
  return {std::min(a, b), std::max(a, b)};
}

RequantScales Random::requantScales(size_t channels, double typicalAcc) {
  RequantScales r;
  switch (uniform(0, 9)) {
  case 0: {
    // Exact powers of two and (1 - 2^-24) * 2^k: multipliers at 2^30 and
    // just below 2^31.
    r.input = std::ldexp(1.0f, int(uniform(-8, -2)));
    for (size_t c = 0; c < channels; ++c) {
      float w = chance(0.5) ? 1.0f : std::nextafter(1.0f, 0.0f);
      r.weights.push_back(std::ldexp(w, int(uniform(-10, -4))));
    }
    double target = 64.0 / typicalAcc;
    r.output = std::ldexp(
        1.0f, int(std::lround(std::log2(r.input * r.weights[0] / target))));
    return r;
  }
  case 1:
    // Scales so small that the shift saturates at 62.
    r.input = std::ldexp(1.0f, -20);
    r.weights.assign(channels, std::ldexp(1.0f, -20));
    r.output = 1.0f;
    return r;
  case 2: {
    // Scales in [2^-(k+1), 2^(1-k)), k in 0..3: shifts 30 to 34, on both
    // sides of the vector kernels' 32-bit requantization limit (s >= 33).
    r.input = float(real(0.004, 0.05));
    double base = real(0.001, 0.05);
    for (size_t c = 0; c < channels; ++c)
      r.weights.push_back(float(base * real(1.0, 1.99)));
    double lowest = std::ldexp(real(0.5, 1.0), -int(uniform(0, 3)));
    r.output = float(r.input * base / lowest);
    return r;
  }
  default: {
    r.input = float(real(0.004, 0.05));
    double meanWeight = 0.0;
    for (size_t c = 0; c < channels; ++c) {
      r.weights.push_back(float(real(0.001, 0.05)));
      meanWeight += r.weights.back() / channels;
    }
    // Aim the outputs at roughly +-64 (sometimes far beyond: saturation).
    double target = real(0.25, 4.0) * 64.0 / typicalAcc;
    r.output = float(r.input * meanWeight / target);
    return r;
  }
  }
}

std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &element) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + element + ">";
}

std::string f32(float v) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.9e", double(v));
  return buffer;
}

std::string f64(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17e", v);
  return buffer;
}

template <typename T> std::string list(const std::vector<T> &values) {
  std::string s = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i)
      s += ", ";
    if constexpr (std::is_same_v<T, float>)
      s += f32(values[i]);
    else if constexpr (std::is_same_v<T, double>)
      s += f64(values[i]);
    else
      s += std::to_string(int64_t(values[i]));
  }
  return s + "]";
}
template std::string list(const std::vector<float> &);
template std::string list(const std::vector<double> &);
template std::string list(const std::vector<int32_t> &);
template std::string list(const std::vector<int8_t> &);
template std::string list(const std::vector<int64_t> &);

std::string hexDense(const void *data, size_t bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string s = "dense<\"0x";
  auto *p = static_cast<const uint8_t *>(data);
  for (size_t i = 0; i < bytes; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s + "\">";
}

std::string clampSuffix(std::pair<int32_t, int32_t> c) {
  if (c.first == -128 && c.second == 127)
    return "";
  return " clamp [" + std::to_string(c.first) + ", " +
         std::to_string(c.second) + "]";
}

void Batch::add(const std::string &signature, const std::string &body,
                std::vector<HostTensor> inputs, HostTensor expected,
                std::string description) {
  source += "func.func @case_" + std::to_string(cases.size()) + signature +
            " {\n" + body + "\n}\n";
  cases.push_back(
      {std::move(inputs), std::move(expected), std::move(description)});
}

static std::string firstMismatch(const HostTensor &got,
                                 const HostTensor &want) {
  std::ostringstream os;
  size_t elementSize = HostTensor::elementSize(want.kind);
  for (size_t i = 0; i < want.bytes.size(); i += elementSize) {
    if (std::memcmp(&got.bytes[i], &want.bytes[i], elementSize) == 0)
      continue;
    os << "first mismatch at flat index " << i / elementSize << ": got ";
    if (want.kind == ElementKind::I8)
      os << int(int8_t(got.bytes[i])) << ", want "
         << int(int8_t(want.bytes[i]));
    else if (want.kind == ElementKind::I32)
      os << got.as<int32_t>()[i / 4] << ", want " << want.as<int32_t>()[i / 4];
    else
      os << got.as<float>()[i / 4] << ", want " << want.as<float>()[i / 4];
    break;
  }
  return os.str();
}

std::vector<std::string> hostIsas() {
  std::vector<std::string> isas = {""};
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f") && features.lookup("avx2"))
    isas.push_back("x86-64-v3");
  return isas;
}

mlir::prom::KernelIsa hostKernelIsa() {
  mlir::MLIRContext context;
  context.loadDialect<mlir::prom::PromDialect>();
  llvm::Expected<mlir::prom::TargetAttr> host =
      mlir::prom::describeTarget(&context, "", "", "");
  if (!host) {
    llvm::consumeError(host.takeError());
    return mlir::prom::KernelIsa::None;
  }
  return mlir::prom::bestKernelIsa(*host);
}

namespace {

struct AssignKernelPass
    : mlir::PassWrapper<AssignKernelPass, mlir::OperationPass<mlir::ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(AssignKernelPass)
  AssignKernelPass(
      std::string opName,
      std::function<mlir::prom::KernelAttr(mlir::Operation *)> make)
      : opName(std::move(opName)), make(std::move(make)) {}
  std::string opName;
  std::function<mlir::prom::KernelAttr(mlir::Operation *)> make;

  void getDependentDialects(mlir::DialectRegistry &registry) const override {
    registry.insert<mlir::prom::PromDialect>();
  }
  void runOnOperation() override {
    int64_t assigned = 0;
    getOperation().walk([&](mlir::Operation *op) {
      if (op->getName().getStringRef() != opName)
        return;
      op->setAttr(mlir::prom::kKernelAttrName, make(op));
      ++assigned;
    });
    if (assigned == 0) {
      getOperation().emitError() << "no " << opName << " to give a kernel";
      signalPassFailure();
    }
  }
};

struct ExpectKernelPass
    : mlir::PassWrapper<ExpectKernelPass, mlir::OperationPass<mlir::ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ExpectKernelPass)
  ExpectKernelPass(std::string opName, mlir::prom::KernelKind kind)
      : opName(std::move(opName)), kind(kind) {}
  std::string opName;
  mlir::prom::KernelKind kind;

  void runOnOperation() override {
    int64_t seen = 0;
    getOperation().walk([&](mlir::Operation *op) {
      if (op->getName().getStringRef() != opName)
        return;
      ++seen;
      if (!mlir::prom::hasKernel(op, kind)) {
        op->emitError() << "expected kernel "
                        << mlir::prom::stringifyKernelKind(kind) << ", got "
                        << op->getAttr(mlir::prom::kKernelAttrName);
        signalPassFailure();
      }
    });
    if (seen == 0) {
      getOperation().emitError() << "no " << opName << " in the module";
      signalPassFailure();
    }
  }
};

} // namespace

std::unique_ptr<mlir::Pass> createAssignKernelPass(
    std::string opName,
    std::function<mlir::prom::KernelAttr(mlir::Operation *)> make) {
  return std::make_unique<AssignKernelPass>(std::move(opName), std::move(make));
}

std::unique_ptr<mlir::Pass>
createExpectKernelPass(std::string opName, mlir::prom::KernelKind kind) {
  return std::make_unique<ExpectKernelPass>(std::move(opName), kind);
}

void Batch::run(std::function<void(mlir::OpPassManager &)> prepare,
                const std::string &cpu, const std::string &kernelIsa,
                unsigned optLevel) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::func::FuncDialect, mlir::arith::ArithDialect,
                  mlir::tensor::TensorDialect, mlir::tosa::TosaDialect>();
  mlir::prom::registerPromDialects(registry);
  mlir::MLIRContext context(registry);
  // PROM_DIFFERENTIAL_DUMP=dir keeps each generated module for a look.
  if (const char *dir = std::getenv("PROM_DIFFERENTIAL_DUMP")) {
    std::string path =
        std::string(dir) + "/" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name() +
        ".mlir";
    if (FILE *f = std::fopen(path.c_str(), "w")) {
      std::fputs(source.c_str(), f);
      std::fclose(f);
    }
  }
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  ASSERT_TRUE(module) << "generated module does not parse";
  if (prepare) {
    mlir::PassManager pm(&context);
    prepare(pm);
    ASSERT_TRUE(mlir::succeeded(pm.run(*module)))
        << "the passes under test failed";
  }
  auto jit = mlir::prom::JitModule::compile(*module, optLevel, cpu, kernelIsa);
  ASSERT_TRUE(static_cast<bool>(jit)) << llvm::toString(jit.takeError());

  for (size_t i = 0; i < cases.size(); ++i) {
    const Case &c = cases[i];
    auto results = (*jit)->call("case_" + std::to_string(i), c.inputs);
    if (!results) {
      ADD_FAILURE() << "case " << i << " (" << c.description
                    << "): " << llvm::toString(results.takeError());
      continue;
    }
    ASSERT_EQ(results->size(), 1u);
    const HostTensor &got = results->front();
    EXPECT_EQ(llvm::ArrayRef<int64_t>(got.shape),
              llvm::ArrayRef<int64_t>(c.expected.shape))
        << "case " << i << " (" << c.description << ")";
    if (got.bytes.size() != c.expected.bytes.size())
      ADD_FAILURE() << "case " << i << " (" << c.description << "): got "
                    << got.bytes.size() << " bytes, want "
                    << c.expected.bytes.size();
    else if (got.bytes != c.expected.bytes)
      ADD_FAILURE() << "case " << i << " (" << c.description
                    << "): " << firstMismatch(got, c.expected);
  }
}

HostTensor i8Tensor(const std::vector<int64_t> &shape,
                    const std::vector<int8_t> &values) {
  return HostTensor::from<int8_t>(ElementKind::I8, shape, values);
}
HostTensor i32Tensor(const std::vector<int64_t> &shape,
                     const std::vector<int32_t> &values) {
  return HostTensor::from<int32_t>(ElementKind::I32, shape, values);
}
HostTensor f32Tensor(const std::vector<int64_t> &shape,
                     const std::vector<float> &values) {
  return HostTensor::from<float>(ElementKind::F32, shape, values);
}

} // namespace differential
