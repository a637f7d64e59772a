//===- OnnxImporter.cpp - ONNX models into MLIR ---------------------------===//

#include "Prom/Import/Onnx/OnnxImporter.h"

#include "Checker.h"
#include "Decompose.h"
#include "GraphImporter.h"

#include "Prom/Dialect/Prom/IR/PromDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include "onnx/defs/schema.h"

#include <climits>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

static constexpr int64_t kMinOpset = 7, kMaxOpset = 17;

static const ImporterTable &importers() {
  static const ImporterTable table = [] {
    ImporterTable t;
    addConvImporters(t);
    addElementwiseImporters(t);
    addPoolingImporters(t);
    addShapeImporters(t);
    addQuantizationImporters(t);
    addReductionImporters(t);
    addResizeImporters(t);
    return t;
  }();
  return table;
}

bool mlir::prom::parseInputShapeOption(StringRef text,
                                       OnnxImportOptions &options) {
  auto [name, dims] = text.rsplit('=');
  if (name.empty() || dims.empty())
    return false;
  std::vector<int64_t> shape;
  SmallVector<StringRef> parts;
  dims.split(parts, 'x');
  for (StringRef part : parts) {
    int64_t d;
    if (part.getAsInteger(10, d) || d <= 0)
      return false;
    shape.push_back(d);
  }
  options.inputShapes[name] = std::move(shape);
  return true;
}

namespace {
/// One import: the model, its diagnostics location, the module built.
class ModelImporter {
public:
  ModelImporter(StringRef filename, MLIRContext *context)
      : filename(filename.str()), context(context),
        fileLoc(FileLineColLoc::get(context, filename, 0, 0)) {}

  OwningOpRef<ModuleOp> run(StringRef bytes, const OnnxImportOptions &options);

private:
  LogicalResult error(const Twine &message) {
    return emitError(fileLoc) << message;
  }
  LogicalResult applyInputShapes(const OnnxImportOptions &options);
  LogicalResult checkOpsSupported();
  LogicalResult checkOldSchemas();
  /// Builds the module from the checked, shape-inferred model; on failure,
  /// `learned` holds the shapes the import found that inference had not.
  OwningOpRef<ModuleOp>
  importGraph(const OnnxImportOptions &options,
              llvm::StringMap<std::vector<int64_t>> &learned);

  FailureOr<Type> inputType(const onnx::ValueInfoProto &input);

  std::string filename;
  MLIRContext *context;
  Location fileLoc;
  onnx::ModelProto model;
  int64_t opset = 0;
};
} // namespace

LogicalResult
ModelImporter::applyInputShapes(const OnnxImportOptions &options) {
  for (const auto &entry : options.inputShapes) {
    onnx::ValueInfoProto *input = nullptr;
    for (auto &candidate : *model.mutable_graph()->mutable_input())
      if (candidate.name() == entry.getKey())
        input = &candidate;
    if (!input)
      return error("--input-shape names '" + entry.getKey() +
                   "', which is not an input of the model");
    auto *shape = input->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() != int(entry.getValue().size()))
      return error("--input-shape gives " + Twine(entry.getValue().size()) +
                   " dimensions for input '" + entry.getKey() +
                   "', which has " + Twine(shape->dim_size()));
    for (auto [i, d] : llvm::enumerate(entry.getValue()))
      shape->mutable_dim(i)->set_dim_value(d);
  }
  return success();
}

/// Below opset 7, a node imports when its operator's schema is the one in
/// effect at opset 7 (Relu-6, GlobalAveragePool-1, ...), which prom
/// implements.
LogicalResult ModelImporter::checkOldSchemas() {
  std::string older;
  for (const auto &node : model.graph().node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      continue; // checkOpsSupported names these
    const onnx::OpSchema *old =
        onnx::OpSchemaRegistry::Schema(node.op_type(), int(opset));
    const onnx::OpSchema *current =
        onnx::OpSchemaRegistry::Schema(node.op_type(), int(kMinOpset));
    if (old && current && old->since_version() == current->since_version())
      continue;
    if (!older.empty())
      older += ", ";
    older += node.op_type() + " (node '" + node.name() + "')";
  }
  if (older.empty())
    return success();
  std::string supported = "; prom imports opsets " + std::to_string(kMinOpset) +
                          " to " + std::to_string(kMaxOpset) +
                          ", and older models whose operators mean the same "
                          "there, which these do not: ";
  return error("the model uses ONNX opset " + Twine(opset) + supported + older);
}

LogicalResult ModelImporter::checkOpsSupported() {
  std::string unsupported;
  for (const auto &node : model.graph().node()) {
    bool standard = node.domain().empty() || node.domain() == "ai.onnx";
    if (standard &&
        (importers().count(node.op_type()) || isDecomposed(node.op_type())))
      continue;
    if (!unsupported.empty())
      unsupported += ", ";
    unsupported += (node.domain().empty() ? "" : node.domain() + ".") +
                   node.op_type() + " (node '" + node.name() + "', opset " +
                   std::to_string(opset) + ")";
  }
  if (unsupported.empty())
    return success();
  return error("unsupported ONNX operators: " + unsupported);
}

FailureOr<Type> ModelImporter::inputType(const onnx::ValueInfoProto &input) {
  const auto &tensor = input.type().tensor_type();
  Type element;
  switch (tensor.elem_type()) {
  case onnx::TensorProto_DataType_FLOAT:
    element = Float32Type::get(context);
    break;
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_UINT8:
    element = IntegerType::get(context, 8);
    break;
  default:
    return error("input '" + input.name() + "' is " +
                 onnx::TensorProto_DataType_Name(
                     onnx::TensorProto_DataType(tensor.elem_type())) +
                 "; prom imports float, int8 and uint8 inputs");
  }
  SmallVector<int64_t> shape;
  for (const auto &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value())
      return error("input '" + input.name() + "' has the dynamic dimension '" +
                   dim.dim_param() + "'; give it a size with --input-shape " +
                   input.name() + "=<d0>x<d1>x...");
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, element);
}

OwningOpRef<ModuleOp> ModelImporter::run(StringRef bytes,
                                         const OnnxImportOptions &options) {
  context->loadDialect<func::FuncDialect, tosa::TosaDialect, PromDialect>();
  if (bytes.size() > size_t(INT_MAX) ||
      !model.ParseFromArray(bytes.data(), int(bytes.size()))) {
    (void)error("not an ONNX model: the file does not parse as an ONNX "
                "ModelProto (corrupt or truncated?)");
    return nullptr;
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    (void)error("the ONNX model has no graph nodes (corrupt or truncated?)");
    return nullptr;
  }
  for (const auto &import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      opset = import.version();
  if (opset < 1 || opset > kMaxOpset) {
    (void)error("the model uses ONNX opset " + Twine(opset) +
                "; prom imports opsets " + Twine(kMinOpset) + " to " +
                Twine(kMaxOpset));
    return nullptr;
  }
  if (opset < kMinOpset && failed(checkOldSchemas()))
    return nullptr;
  if (failed(checkOpsSupported()) || failed(applyInputShapes(options)))
    return nullptr;
  if (std::optional<std::string> problem = decomposeModel(model, opset)) {
    (void)error(*problem);
    return nullptr;
  }
  if (std::optional<std::string> problem =
          checkAndInferShapes(model, filename)) {
    (void)error(*problem);
    return nullptr;
  }

  // Shapes that only the import finds (see learnOutputShape) go back into
  // the model and shape inference runs again, as long as each round learns
  // a new one.
  std::map<std::string, std::vector<int64_t>> known;
  while (true) {
    llvm::StringMap<std::vector<int64_t>> learned;
    SmallVector<Diagnostic> diagnostics;
    OwningOpRef<ModuleOp> module;
    {
      ScopedDiagnosticHandler capture(context, [&](Diagnostic &d) {
        diagnostics.push_back(std::move(d));
        return success();
      });
      module = importGraph(options, learned);
    }
    bool progress = llvm::any_of(
        learned, [&](const auto &e) { return !known.count(e.getKey().str()); });
    if (module || !progress) {
      for (Diagnostic &d : diagnostics)
        context->getDiagEngine().emit(std::move(d));
      return module;
    }
    for (const auto &e : learned)
      known[e.getKey().str()] = e.getValue();
    if (std::optional<std::string> problem =
            checkAndInferShapes(model, filename, known)) {
      (void)error(*problem);
      return nullptr;
    }
  }
}

OwningOpRef<ModuleOp>
ModelImporter::importGraph(const OnnxImportOptions &options,
                           llvm::StringMap<std::vector<int64_t>> &learned) {
  const onnx::GraphProto &graph = model.graph();
  OpBuilder b(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());
  GraphImporter importer(b, filename, graph, opset);
  auto fail = [&] {
    learned = importer.learnedShapes();
    return nullptr;
  };

  llvm::StringSet<> initializerNames;
  for (const auto &init : graph.initializer()) {
    initializerNames.insert(init.name());
    FailureOr<OnnxConstant> t = importer.readTensor(init);
    if (failed(t))
      return nullptr;
    importer.defineConstant(init.name(), std::move(*t));
  }

  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const auto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    FailureOr<Type> type = inputType(input);
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
    args.push_back(&input);
  }
  auto fn = func::FuncOp::create(b, fileLoc, options.functionName,
                                 b.getFunctionType(argTypes, {}));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  // uint8 inputs and outputs are i8 holding the bytes, marked for the C
  // header.
  auto isUint8 = [](const onnx::ValueInfoProto &v) {
    return v.type().tensor_type().elem_type() ==
           onnx::TensorProto_DataType_UINT8;
  };
  for (auto [i, arg, input] : llvm::enumerate(entry->getArguments(), args)) {
    importer.defineInput(input->name(), arg, isUint8(*input));
    if (isUint8(*input))
      fn.setArgAttr(i, kUint8AttrName, b.getUnitAttr());
  }

  for (const auto &[index, node] : llvm::enumerate(graph.node())) {
    std::string name = node.name().empty()
                           ? node.op_type() + "_" + std::to_string(index)
                           : node.name();
    importer.setNode(&node, NameLoc::get(b.getStringAttr(name), fileLoc));
    if (failed(importers().lookup(node.op_type())(importer, node)))
      return fail();
  }

  importer.setNode(nullptr, fileLoc);
  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    FailureOr<Value> value = importer.graphOutput(
        output.name(), output.type().tensor_type().elem_type());
    if (failed(value))
      return fail();
    results.push_back(*value);
  }
  func::ReturnOp::create(b, fileLoc, results);
  fn.setFunctionType(
      b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    if (isUint8(output))
      fn.setResultAttr(i, kUint8AttrName, b.getUnitAttr());
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp>
mlir::prom::importOnnxModel(StringRef bytes, StringRef filename,
                            MLIRContext *context,
                            const OnnxImportOptions &options) {
  return ModelImporter(filename, context).run(bytes, options);
}
