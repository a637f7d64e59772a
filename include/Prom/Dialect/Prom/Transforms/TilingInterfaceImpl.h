//===- TilingInterfaceImpl.h - TilingInterface for prom ops -----*- C++ -*-===//

#ifndef PROM_DIALECT_PROM_TRANSFORMS_TILINGINTERFACEIMPL_H
#define PROM_DIALECT_PROM_TRANSFORMS_TILINGINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace prom {
/// Lets upstream `scf` tiling, tile-and-fuse and the transform dialect tile
/// prom's convolutions over batch, rows and columns.
void registerTilingInterfaceExternalModels(DialectRegistry &registry);
} // namespace prom
} // namespace mlir

#endif // PROM_DIALECT_PROM_TRANSFORMS_TILINGINTERFACEIMPL_H
