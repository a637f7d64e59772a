//===- GraphImporter.h - state of one ONNX graph import ---------*- C++ -*-===//
//
// The importer walks the graph in order; each node type has one importer
// function (registered per op family in Conv.cpp, Elementwise.cpp,
// Pooling.cpp, Shape.cpp, Quantization.cpp, Reduction.cpp, Resize.cpp)
// that reads its inputs and attributes here and records its outputs.
//
// Layout: ONNX feature maps are NCHW, prom's are NHWC. A rank-4 value is
// kept in whichever layout its producer made; consumers ask for the layout
// they need and a transpose is inserted (once) only where layouts meet, so
// a CNN has transposes at the function boundary alone.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
#define PROM_LIB_IMPORT_ONNX_GRAPHIMPORTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>
#include <vector>

#include "onnx/onnx_pb.h"

namespace mlir {
namespace prom {
namespace onnx_import {

enum class Layout { Onnx, NHWC };

/// A tensor known at import time (initializer, Constant, folded shape
/// arithmetic), in ONNX order. Floats and integers are kept apart.
struct OnnxConstant {
  std::vector<int64_t> shape;
  int32_t dtype; // onnx::TensorProto_DataType
  std::vector<float> floats;
  std::vector<int64_t> ints;

  bool isFloat() const { return dtype == onnx::TensorProto_DataType_FLOAT; }
  int64_t numElements() const;
  /// The element at flat index `i` as a double, whatever the dtype.
  double at(int64_t i) const { return isFloat() ? floats[i] : double(ints[i]); }
};

/// What an ONNX value name stands for during the import.
struct ImportedValue {
  std::shared_ptr<const OnnxConstant> constant; // known at import time
  Value value;                                  // the runtime value, if any
  Layout layout = Layout::Onnx;                 // of `value` (rank 4 only)
  Value transposed;                             // `value` in the other layout
};

class GraphImporter;
using NodeImporter = LogicalResult (*)(GraphImporter &,
                                       const onnx::NodeProto &);
using ImporterTable = llvm::StringMap<NodeImporter>;

void addConvImporters(ImporterTable &table);
void addElementwiseImporters(ImporterTable &table);
void addPoolingImporters(ImporterTable &table);
void addShapeImporters(ImporterTable &table);
void addQuantizationImporters(ImporterTable &table);
void addReductionImporters(ImporterTable &table);
void addResizeImporters(ImporterTable &table);

class GraphImporter {
public:
  GraphImporter(OpBuilder &builder, llvm::StringRef filename,
                const onnx::GraphProto &graph, int64_t opset);

  OpBuilder &builder() { return b; }
  MLIRContext *context() { return b.getContext(); }
  int64_t opset() const { return opsetVersion; }
  /// The location of the node being imported: its name in the model file.
  Location loc() const { return currentLoc; }
  void setNode(const onnx::NodeProto *node, Location loc);

  //--- Inputs ----------------------------------------------------------===//
  bool hasInput(const onnx::NodeProto &node, int i) const;
  /// The constant behind input `i`, or null when it is only known at run
  /// time.
  const OnnxConstant *constantInput(const onnx::NodeProto &node, int i) const;
  /// Input `i` as an IR value in `layout` (rank-4 values only change), or
  /// failure with a diagnostic.
  FailureOr<Value> valueInput(const onnx::NodeProto &node, int i,
                              Layout layout = Layout::Onnx);
  /// The layout input `i` has now (Onnx for constants).
  Layout layoutOf(const onnx::NodeProto &node, int i) const;
  /// Static ONNX-order shape of input `i`.
  FailureOr<std::vector<int64_t>> inputShape(const onnx::NodeProto &node,
                                             int i);

  //--- Outputs ---------------------------------------------------------===//
  /// ONNX-order type of output `i` from shape inference (static only).
  FailureOr<RankedTensorType> outputType(const onnx::NodeProto &node, int i);
  /// Whether shape inference gave output `i` a static shape.
  bool hasOutputShape(const onnx::NodeProto &node, int i) const {
    return shapes.count(node.output(i));
  }
  /// Records the static shape of output `i` that ONNX's shape inference
  /// could not find (a Resize whose sizes only fold during the import).
  /// The model is then inferred and imported again with it.
  void learnOutputShape(const onnx::NodeProto &node, int i,
                        llvm::ArrayRef<int64_t> shape);
  const llvm::StringMap<std::vector<int64_t>> &learnedShapes() const {
    return learned;
  }
  void setOutput(const onnx::NodeProto &node, int i, Value value,
                 Layout layout = Layout::Onnx);
  void setConstantOutput(const onnx::NodeProto &node, int i, OnnxConstant t);
  /// Output `i` is input `j` (Identity, Dropout in inference).
  void aliasOutput(const onnx::NodeProto &node, int i, int j);

  //--- Building blocks ---------------------------------------------------===//
  /// A tosa.const of `t` (f32 or the integer dtype) permuted to `layout`;
  /// large constants become dense_resource blobs named `name`.
  Value materialize(const OnnxConstant &t, Layout layout = Layout::Onnx,
                    llvm::StringRef name = "");
  /// tosa.transpose of a rank-4 value into layout `to` (from the other).
  Value transpose(Value v, Layout to);
  /// tosa.transpose by any permutation.
  Value permute(Value v, llvm::ArrayRef<int32_t> perm);
  /// tosa.const_shape of `values`.
  Value constShape(llvm::ArrayRef<int64_t> values);
  /// Float tosa.mul (shift 0) with the given, broadcast result type.
  Value multiply(Value x, Value y, Type resultType);
  /// A rank-`rank` f32 constant of size 1 in every dimension holding
  /// `value`, which broadcasts against any tensor of that rank.
  Value scalar(float value, int64_t rank);
  /// tosa.reshape to `shape`.
  Value reshape(Value v, llvm::ArrayRef<int64_t> shape);

  //--- Attributes ------------------------------------------------------===//
  std::optional<int64_t> attrInt(const onnx::NodeProto &node,
                                 llvm::StringRef name) const;
  std::optional<float> attrFloat(const onnx::NodeProto &node,
                                 llvm::StringRef name) const;
  std::optional<std::string> attrString(const onnx::NodeProto &node,
                                        llvm::StringRef name) const;
  std::optional<std::vector<int64_t>> attrInts(const onnx::NodeProto &node,
                                               llvm::StringRef name) const;
  const onnx::TensorProto *attrTensor(const onnx::NodeProto &node,
                                      llvm::StringRef name) const;

  //--- Graph-level -----------------------------------------------------===//
  /// x xor 0x80 on i8 values: uint8 bytes <-> prom's int8 u - 128.
  Value flipSign(Value v);

  /// Reads a TensorProto (raw or typed data) into host memory.
  FailureOr<OnnxConstant> readTensor(const onnx::TensorProto &t);
  /// Graph input `name`: f32 or i8; uint8 bytes (`isUint8`) become prom's
  /// int8 u - 128.
  void defineInput(llvm::StringRef name, Value value, bool isUint8 = false);
  void defineConstant(llvm::StringRef name, OnnxConstant t);
  /// The value of graph output `name` in ONNX layout, with `dtype`'s
  /// element type (uint8: i8 holding the bytes).
  FailureOr<Value> graphOutput(llvm::StringRef name, int32_t dtype);
  bool isDefined(llvm::StringRef name) const { return values.count(name); }
  /// How many nodes read `name`.
  int useCount(llvm::StringRef name) const;

  /// Emits "<OpType> node '<name>': <message>" at the current node.
  LogicalResult fail(const llvm::Twine &message);

private:
  ImportedValue *lookup(const onnx::NodeProto &node, int i);
  const ImportedValue *lookup(const onnx::NodeProto &node, int i) const;

  OpBuilder &b;
  std::string filename;
  int64_t opsetVersion;
  Location currentLoc;
  const onnx::NodeProto *currentNode = nullptr;
  llvm::StringMap<ImportedValue> values;
  llvm::StringMap<std::vector<int64_t>> shapes;  // from shape inference
  llvm::StringMap<std::vector<int64_t>> learned; // see learnOutputShape
  llvm::StringMap<int> uses;
};

/// Permutations between the layouts of a rank-4 tensor.
inline constexpr int32_t kToNHWC[] = {0, 2, 3, 1};
inline constexpr int32_t kToNCHW[] = {0, 3, 1, 2};

/// `shape` (ONNX order, rank 4) in NHWC order.
std::vector<int64_t> toNHWC(llvm::ArrayRef<int64_t> shape);

/// Host-side transpose: result[i] = t[perm applied] (numpy's transpose).
OnnxConstant transposeHost(const OnnxConstant &t, llvm::ArrayRef<int32_t> perm);

} // namespace onnx_import
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
