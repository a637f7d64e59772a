//===- Npy.cpp - read NumPy .npy files
//-------------------------------------===//
//
// Format: "\x93NUMPY", major and minor version bytes, a little-endian header
// length (2 bytes in version 1, 4 in versions 2 and 3), then a Python dict
// literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3),}
// and the raw data.
//
//===----------------------------------------------------------------------===//

#include "Prom/Execution/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::prom;

static llvm::Error npyError(llvm::StringRef name, const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + name + "': " + what);
}

/// The text after `'key':` in the header dict, up to the next key.
static std::optional<llvm::StringRef> dictValue(llvm::StringRef header,
                                                llvm::StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

llvm::Expected<HostTensor> mlir::prom::parseNpy(llvm::StringRef bytes,
                                                llvm::StringRef name) {
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return npyError(name, "not a .npy file (bad magic)");
  unsigned major = uint8_t(bytes[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = uint8_t(bytes[8]) | uint8_t(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(name, "truncated header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength = headerLength << 8 | uint8_t(bytes[8 + i]);
    headerStart = 12;
  } else {
    return npyError(name, "unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLength)
    return npyError(name, "truncated header");
  llvm::StringRef header = bytes.substr(headerStart, headerLength);
  llvm::StringRef data = bytes.drop_front(headerStart + headerLength);

  std::optional<llvm::StringRef> descr = dictValue(header, "descr");
  std::optional<llvm::StringRef> order = dictValue(header, "fortran_order");
  std::optional<llvm::StringRef> shapeText = dictValue(header, "shape");
  if (!descr || !order || !shapeText)
    return npyError(name, "header lacks descr, fortran_order or shape");
  HostTensor t;
  if (descr->starts_with("'<f4'"))
    t.kind = ElementKind::F32;
  else if (descr->starts_with("'|i1'") || descr->starts_with("'<i1'"))
    t.kind = ElementKind::I8;
  else if (descr->starts_with("'<i4'"))
    t.kind = ElementKind::I32;
  else
    return npyError(name, "dtype " + descr->take_until([](char c) {
      return c == ',';
    }) + " is not float32, int8 or int32");
  if (!order->starts_with("False"))
    return npyError(name, "Fortran-order arrays are not supported");
  if (!shapeText->consume_front("("))
    return npyError(name, "malformed shape");
  llvm::StringRef dims = shapeText->take_until([](char c) { return c == ')'; });
  llvm::SmallVector<llvm::StringRef> parts;
  dims.split(parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    int64_t d;
    if (part.trim().getAsInteger(10, d) || d < 0)
      return npyError(name, "malformed shape (" + dims + ")");
    t.shape.push_back(d);
  }
  size_t expected = t.numElements() * HostTensor::elementSize(t.kind);
  if (data.size() != expected)
    return npyError(name, "holds " + llvm::Twine(data.size()) +
                              " data bytes; its shape and dtype need " +
                              llvm::Twine(expected));
  t.bytes.assign(data.begin(), data.end());
  return t;
}

llvm::Expected<HostTensor> mlir::prom::readNpy(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}
