//===- Npy.h - read NumPy .npy files ----------------------------*- C++ -*-===//
//
// Calibration inputs arrive as .npy files (what `numpy.save` writes):
// version 1-3 headers, little-endian float32 / int8 / int32, C order.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_EXECUTION_NPY_H
#define PROM_EXECUTION_NPY_H

#include "Prom/Execution/JitModule.h"

namespace mlir {
namespace prom {

/// Reads `path`; errors name the file and what is wrong with it.
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);

/// Parses the bytes of an .npy file; `name` is used in error messages.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes,
                                    llvm::StringRef name);

} // namespace prom
} // namespace mlir

#endif // PROM_EXECUTION_NPY_H
