//===- GraphImporter.cpp - state of one ONNX graph import -----------------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::onnx_import;

int64_t OnnxConstant::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> onnx_import::toNHWC(ArrayRef<int64_t> shape) {
  return {shape[0], shape[2], shape[3], shape[1]};
}

OnnxConstant onnx_import::transposeHost(const OnnxConstant &t,
                                        ArrayRef<int32_t> perm) {
  OnnxConstant out;
  out.dtype = t.dtype;
  size_t rank = t.shape.size();
  for (int32_t p : perm)
    out.shape.push_back(t.shape[p]);
  std::vector<int64_t> inStrides(rank, 1);
  for (size_t d = rank; d-- > 1;)
    inStrides[d - 1] = inStrides[d] * t.shape[d];
  int64_t n = t.numElements();
  if (t.isFloat())
    out.floats.resize(n);
  else
    out.ints.resize(n);
  std::vector<int64_t> index(rank, 0); // in the output's order
  for (int64_t i = 0; i < n; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d)
      src += index[d] * inStrides[perm[d]];
    if (t.isFloat())
      out.floats[i] = t.floats[src];
    else
      out.ints[i] = t.ints[src];
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < out.shape[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

GraphImporter::GraphImporter(OpBuilder &builder, StringRef filename,
                             const onnx::GraphProto &graph, int64_t opset)
    : b(builder), filename(filename.str()), opsetVersion(opset),
      currentLoc(FileLineColLoc::get(builder.getContext(), filename, 0, 0)) {
  auto record = [&](const onnx::ValueInfoProto &info) {
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return;
    std::vector<int64_t> shape;
    for (const auto &dim : info.type().tensor_type().shape().dim()) {
      if (!dim.has_dim_value())
        return; // symbolic: not static
      shape.push_back(dim.dim_value());
    }
    shapes[info.name()] = std::move(shape);
  };
  for (const auto &info : graph.input())
    record(info);
  for (const auto &info : graph.value_info())
    record(info);
  for (const auto &info : graph.output())
    record(info);
  for (const auto &node : graph.node())
    for (const std::string &name : node.input())
      ++uses[name];
}

void GraphImporter::setNode(const onnx::NodeProto *node, Location loc) {
  currentNode = node;
  currentLoc = loc;
}

LogicalResult GraphImporter::fail(const Twine &message) {
  if (!currentNode)
    return emitError(currentLoc) << message;
  return emitError(currentLoc) << currentNode->op_type() << " node '"
                               << currentNode->name() << "': " << message;
}

int GraphImporter::useCount(StringRef name) const {
  auto it = uses.find(name);
  return it == uses.end() ? 0 : it->second;
}

//===----------------------------------------------------------------------===//
// Reading tensors
//===----------------------------------------------------------------------===//

/// Copies `count` little-endian elements of T from `bytes` into `out`.
template <typename T, typename Out>
static void readRaw(StringRef bytes, int64_t count, std::vector<Out> &out) {
  out.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<Out>(v);
  }
}

static size_t elementBytes(int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto_DataType_FLOAT:
  case onnx::TensorProto_DataType_INT32:
    return 4;
  case onnx::TensorProto_DataType_INT64:
    return 8;
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_UINT8:
  case onnx::TensorProto_DataType_BOOL:
    return 1;
  default:
    return 0;
  }
}

FailureOr<OnnxConstant> GraphImporter::readTensor(const onnx::TensorProto &t) {
  OnnxConstant out;
  out.dtype = t.data_type();
  out.shape.assign(t.dims().begin(), t.dims().end());
  int64_t n = out.numElements();
  size_t size = elementBytes(out.dtype);
  if (size == 0)
    return fail("tensor '" + t.name() + "' has unsupported element type " +
                onnx::TensorProto_DataType_Name(
                    onnx::TensorProto_DataType(t.data_type())));

  std::string external;
  StringRef raw;
  if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    for (const auto &entry : t.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset")
        offset = std::stoll(entry.value());
      else if (entry.key() == "length")
        length = std::stoll(entry.value());
    }
    llvm::SmallString<256> path(llvm::sys::path::parent_path(filename));
    llvm::sys::path::append(path, location);
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      return fail("external data file '" + path + "' of tensor '" + t.name() +
                  "' cannot be read: " + buffer.getError().message());
    StringRef all = (*buffer)->getBuffer();
    if (length < 0)
      length = all.size() - offset;
    if (offset < 0 || offset + length > int64_t(all.size()))
      return fail("external data of tensor '" + t.name() +
                  "' lies outside its file");
    external = all.substr(offset, length).str();
    raw = external;
  } else if (t.has_raw_data()) {
    raw = t.raw_data();
  }

  if (!raw.empty() || n == 0 ||
      t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL) {
    if (raw.size() != size_t(n) * size)
      return fail("tensor '" + t.name() + "' holds " + Twine(raw.size()) +
                  " bytes of data, its shape needs " + Twine(n * size));
    switch (out.dtype) {
    case onnx::TensorProto_DataType_FLOAT:
      readRaw<float>(raw, n, out.floats);
      break;
    case onnx::TensorProto_DataType_INT32:
      readRaw<int32_t>(raw, n, out.ints);
      break;
    case onnx::TensorProto_DataType_INT64:
      readRaw<int64_t>(raw, n, out.ints);
      break;
    case onnx::TensorProto_DataType_INT8:
      readRaw<int8_t>(raw, n, out.ints);
      break;
    default: // UINT8, BOOL
      readRaw<uint8_t>(raw, n, out.ints);
      break;
    }
    return out;
  }

  int64_t have;
  if (out.isFloat()) {
    out.floats.assign(t.float_data().begin(), t.float_data().end());
    have = out.floats.size();
  } else if (out.dtype == onnx::TensorProto_DataType_INT64) {
    out.ints.assign(t.int64_data().begin(), t.int64_data().end());
    have = out.ints.size();
  } else {
    out.ints.assign(t.int32_data().begin(), t.int32_data().end());
    if (out.dtype == onnx::TensorProto_DataType_INT8)
      for (int64_t &v : out.ints)
        v = int8_t(v);
    have = out.ints.size();
  }
  if (have != n)
    return fail("tensor '" + t.name() + "' holds " + Twine(have) +
                " values, its shape needs " + Twine(n));
  return out;
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

static Type elementTypeOf(OpBuilder &b, int32_t dtype);

void GraphImporter::defineInput(StringRef name, Value value, bool isUint8) {
  if (isUint8)
    value = flipSign(value);
  values[name] = ImportedValue{nullptr, value, Layout::Onnx, Value()};
}

Value GraphImporter::flipSign(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  auto maskType = RankedTensorType::get(SmallVector<int64_t>(type.getRank(), 1),
                                        b.getI8Type());
  Value mask = tosa::ConstOp::create(
      b, currentLoc, maskType,
      DenseElementsAttr::get(maskType, ArrayRef<int8_t>{-128}));
  return tosa::BitwiseXorOp::create(b, currentLoc, type, v, mask);
}

void GraphImporter::defineConstant(StringRef name, OnnxConstant t) {
  ImportedValue v;
  v.constant = std::make_shared<const OnnxConstant>(std::move(t));
  values[name] = std::move(v);
}

ImportedValue *GraphImporter::lookup(const onnx::NodeProto &node, int i) {
  if (i >= node.input_size() || node.input(i).empty())
    return nullptr;
  auto it = values.find(node.input(i));
  return it == values.end() ? nullptr : &it->second;
}

const ImportedValue *GraphImporter::lookup(const onnx::NodeProto &node,
                                           int i) const {
  return const_cast<GraphImporter *>(this)->lookup(node, i);
}

bool GraphImporter::hasInput(const onnx::NodeProto &node, int i) const {
  return i < node.input_size() && !node.input(i).empty();
}

const OnnxConstant *GraphImporter::constantInput(const onnx::NodeProto &node,
                                                 int i) const {
  const ImportedValue *v = lookup(node, i);
  return v ? v->constant.get() : nullptr;
}

Layout GraphImporter::layoutOf(const onnx::NodeProto &node, int i) const {
  const ImportedValue *v = lookup(node, i);
  return v && v->value ? v->layout : Layout::Onnx;
}

FailureOr<Value> GraphImporter::valueInput(const onnx::NodeProto &node, int i,
                                           Layout layout) {
  ImportedValue *v = lookup(node, i);
  if (!v)
    return fail("input " + Twine(i) + " ('" +
                (i < node.input_size() ? node.input(i) : std::string()) +
                "') of node '" + node.name() + "' is not defined");
  if (!v->value) {
    // Constants are materialized in ONNX layout once and transposed like
    // any other value.
    v->value = materialize(*v->constant, Layout::Onnx, node.input(i));
    v->layout = Layout::Onnx;
  }
  auto type = cast<RankedTensorType>(v->value.getType());
  if (type.getRank() != 4 || v->layout == layout)
    return v->value;
  if (!v->transposed)
    v->transposed = transpose(v->value, layout);
  return v->transposed;
}

FailureOr<std::vector<int64_t>>
GraphImporter::inputShape(const onnx::NodeProto &node, int i) {
  const ImportedValue *v = lookup(node, i);
  if (v && v->constant)
    return v->constant->shape;
  if (v && v->value) {
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(v->value.getType()).getShape();
    if (v->layout == Layout::NHWC)
      return std::vector<int64_t>{shape[0], shape[3], shape[1], shape[2]};
    return std::vector<int64_t>(shape.begin(), shape.end());
  }
  return fail("input " + Twine(i) + " of node '" + node.name() +
              "' is not defined");
}

FailureOr<RankedTensorType>
GraphImporter::outputType(const onnx::NodeProto &node, int i) {
  auto it = shapes.find(node.output(i));
  if (it == shapes.end())
    return fail("the shape of '" + node.output(i) + "' (output of " +
                node.op_type() + " node '" + node.name() +
                "') is unknown or not static; give static input shapes "
                "(--input-shape)");
  return RankedTensorType::get(it->second, b.getF32Type());
}

void GraphImporter::learnOutputShape(const onnx::NodeProto &node, int i,
                                     ArrayRef<int64_t> shape) {
  shapes[node.output(i)] = shape;
  learned[node.output(i)] = shape;
}

void GraphImporter::setOutput(const onnx::NodeProto &node, int i, Value value,
                              Layout layout) {
  values[node.output(i)] = ImportedValue{nullptr, value, layout, Value()};
}

void GraphImporter::setConstantOutput(const onnx::NodeProto &node, int i,
                                      OnnxConstant t) {
  defineConstant(node.output(i), std::move(t));
}

void GraphImporter::aliasOutput(const onnx::NodeProto &node, int i, int j) {
  if (ImportedValue *v = lookup(node, j))
    values[node.output(i)] = *v;
}

FailureOr<Value> GraphImporter::graphOutput(StringRef name, int32_t dtype) {
  auto it = values.find(name);
  if (it == values.end())
    return emitError(currentLoc)
           << "graph output '" << name << "' is never produced";
  onnx::NodeProto fake;
  fake.add_input(name.str());
  FailureOr<Value> v = valueInput(fake, 0, Layout::Onnx);
  if (failed(v))
    return failure();
  Type element = cast<RankedTensorType>(v->getType()).getElementType();
  if (element != elementTypeOf(b, dtype) ||
      (element.isF32() && dtype != onnx::TensorProto_DataType_FLOAT))
    return emitError(currentLoc)
           << "graph output '" << name << "' is "
           << onnx::TensorProto_DataType_Name(onnx::TensorProto_DataType(dtype))
           << ", but prom computes it as " << element;
  if (dtype != onnx::TensorProto_DataType_UINT8)
    return v;
  return flipSign(*v);
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

static Type elementTypeOf(OpBuilder &b, int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto_DataType_FLOAT:
    return b.getF32Type();
  case onnx::TensorProto_DataType_INT64:
    return b.getI64Type();
  case onnx::TensorProto_DataType_INT32:
    return b.getI32Type();
  case onnx::TensorProto_DataType_BOOL:
    return b.getI1Type();
  default: // INT8, and UINT8 (stored shifted by the quantization importer)
    return b.getI8Type();
  }
}

/// Constants of at least this many elements become resource blobs, which
/// keep large models fast to print and parse.
static constexpr int64_t kResourceThreshold = 64;

Value GraphImporter::materialize(const OnnxConstant &host, Layout layout,
                                 StringRef name) {
  OnnxConstant permuted;
  const OnnxConstant *t = &host;
  if (layout == Layout::NHWC && host.shape.size() == 4) {
    permuted = transposeHost(host, kToNHWC);
    t = &permuted;
  }
  Type element = elementTypeOf(b, t->dtype);
  auto type = RankedTensorType::get(t->shape, element);
  ElementsAttr attr;
  if (t->numElements() >= kResourceThreshold) {
    std::string blobName = name.empty() ? "onnx_constant" : name.str();
    AsmResourceBlob blob;
    if (t->isFloat())
      blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<float>(t->floats));
    else if (element.isInteger(64))
      blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<int64_t>(t->ints));
    else if (element.isInteger(32)) {
      std::vector<int32_t> v(t->ints.begin(), t->ints.end());
      blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef(v));
    } else {
      std::vector<int8_t> v(t->ints.begin(), t->ints.end());
      blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef(v));
    }
    attr = DenseResourceElementsAttr::get(type, blobName, std::move(blob));
  } else if (t->isFloat()) {
    attr = DenseElementsAttr::get(type, ArrayRef<float>(t->floats));
  } else {
    SmallVector<APInt> v;
    for (int64_t x : t->ints)
      v.push_back(APInt(element.getIntOrFloatBitWidth(), x, /*isSigned=*/true,
                        /*implicitTrunc=*/true));
    attr = DenseElementsAttr::get(type, v);
  }
  return tosa::ConstOp::create(b, currentLoc, type, attr);
}

Value GraphImporter::transpose(Value v, Layout to) {
  return permute(v, to == Layout::NHWC ? ArrayRef<int32_t>(kToNHWC)
                                       : ArrayRef<int32_t>(kToNCHW));
}

Value GraphImporter::permute(Value v, ArrayRef<int32_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int32_t p : perm)
    shape.push_back(type.getDimSize(p));
  return tosa::TransposeOp::create(
      b, currentLoc, RankedTensorType::get(shape, type.getElementType()), v,
      perm);
}

Value GraphImporter::constShape(ArrayRef<int64_t> values) {
  auto attr = DenseIntElementsAttr::get(
      RankedTensorType::get({int64_t(values.size())}, b.getIndexType()),
      values);
  return tosa::ConstShapeOp::create(
      b, currentLoc, tosa::shapeType::get(context(), values.size()), attr);
}

Value GraphImporter::multiply(Value x, Value y, Type resultType) {
  auto shiftType = RankedTensorType::get({1}, b.getI8Type());
  Value shift = tosa::ConstOp::create(
      b, currentLoc, shiftType,
      DenseElementsAttr::get(shiftType, ArrayRef<int8_t>{0}));
  return tosa::MulOp::create(b, currentLoc, resultType, x, y, shift);
}

Value GraphImporter::scalar(float value, int64_t rank) {
  OnnxConstant t;
  t.shape.assign(rank, 1);
  t.dtype = onnx::TensorProto_DataType_FLOAT;
  t.floats = {value};
  return materialize(t);
}

Value GraphImporter::reshape(Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return tosa::ReshapeOp::create(
      b, currentLoc, RankedTensorType::get(shape, type.getElementType()), v,
      constShape(shape));
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

static const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                            StringRef name) {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

std::optional<int64_t> GraphImporter::attrInt(const onnx::NodeProto &node,
                                              StringRef name) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  if (!a)
    return std::nullopt;
  return a->i();
}

std::optional<float> GraphImporter::attrFloat(const onnx::NodeProto &node,
                                              StringRef name) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  if (!a)
    return std::nullopt;
  return a->f();
}

std::optional<std::string>
GraphImporter::attrString(const onnx::NodeProto &node, StringRef name) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  if (!a)
    return std::nullopt;
  return a->s();
}

std::optional<std::vector<int64_t>>
GraphImporter::attrInts(const onnx::NodeProto &node, StringRef name) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

const onnx::TensorProto *GraphImporter::attrTensor(const onnx::NodeProto &node,
                                                   StringRef name) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  return a && a->has_t() ? &a->t() : nullptr;
}
