//===- PromDialect.cpp - prom dialect -------------------------------------===//

#include "Prom/Dialect/Prom/IR/PromDialect.h"

#include "Prom/Dialect/Prom/IR/PromAttrs.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::prom;

#include "Prom/Dialect/Prom/IR/PromDialect.cpp.inc"
#include "Prom/Dialect/Prom/IR/PromEnums.cpp.inc"
#include "Prom/Dialect/Prom/IR/PromInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Prom/Dialect/Prom/IR/PromAttrs.cpp.inc"

void PromDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Prom/Dialect/Prom/IR/PromOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Prom/Dialect/Prom/IR/PromAttrs.cpp.inc"
      >();
}
