//===- PromX86Ops.td - prom_x86 operations ------------------*- tablegen -*-===//
//
// The x86 instructions prom's kernels need that upstream's x86vector
// dialect does not have, each lowered by convert-prom-x86-to-llvm or
// prom-lower-amx-matmul.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_DIALECT_PROMX86_IR_PROMX86OPS_TD
#define PROM_DIALECT_PROMX86_IR_PROMX86OPS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def PromX86_Dialect : Dialect {
  let name = "prom_x86";
  let cppNamespace = "::mlir::prom::x86";
  let summary = "x86 instructions of prom's kernels";
  let description = [{
    The x86 instructions prom's CPU kernels emit that upstream's `x86vector`
    and `amx` dialects do not provide as ops on vectors or tensors: the
    integer dot products (`vpdpbusd`, `vpmaddubsw`, `vpmaddwd`), the
    `vpermi2b` byte table look-up and a destination-style AMX int8 matrix
    product. Each op states the exact integer semantics of its instruction,
    and is lowered to the LLVM intrinsic (or to `amx` tile ops) after
    bufferization, so code that holds them runs only on a CPU with the
    instruction; the kernel selection (`#prom.kernel`) decides where they
    are used.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class PromX86_Op<string mnemonic, list<Trait> traits = []>
    : Op<PromX86_Dialect, mnemonic, traits>;

// The x86 integer dot-product instructions `prom_x86.dot` stands for.
def PromX86_DotKind : I32EnumAttr<"DotKind", "x86 integer dot product", [
    I32EnumAttrCase<"Vpdpbusd", 0, "vpdpbusd">,
    I32EnumAttrCase<"Vpmaddubsw", 1, "vpmaddubsw">,
    I32EnumAttrCase<"Vpmaddwd", 2, "vpmaddwd">
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::prom::x86";
}

def PromX86_DotKindAttr : EnumAttr<PromX86_Dialect, PromX86_DotKind, "dot_kind"> {
  let summary = "which x86 dot-product instruction";
  let assemblyFormat = "$value";
}


def PromX86_DotOp : PromX86_Op<"dot", [Pure, AllTypesMatch<["acc", "result"]>,
                                      AllTypesMatch<["a", "b"]>]> {
  let summary = "acc plus an x86 integer dot-product instruction";
  let description = [{
    `result = acc + kind(a, b)` lane by lane, where `kind` is one x86
    instruction (`a` unsigned bytes where the instruction says so):

    - `vpdpbusd`: i32 lanes, `result[i] = acc[i] + sum_{k<4}
      zext(a[4i+k]) * sext(b[4i+k])`, wrapping (AVX-512 VNNI; 16 or 8
      lanes).
    - `vpmaddubsw`: i16 lanes, `acc[i] + sat16(zext(a[2i]) * sext(b[2i]) +
      zext(a[2i+1]) * sext(b[2i+1]))`, the add wrapping; the pair sum
      saturates, so exact results need |b[2i]| + |b[2i+1]| <= 128 (AVX2
      with 16 lanes, SSSE3 with 8).
    - `vpmaddwd`: i32 lanes, `acc[i] + sext(a[2i]) * sext(b[2i]) +
      sext(a[2i+1]) * sext(b[2i+1])` (AVX-512BW with 16 lanes, AVX2 with 8,
      SSE2 with 4; with AVX-512 VNNI, LLVM folds it and its add into
      `vpdpwssd`).

    prom's kernels emit it on tensors-to-vectors code (it is pure, so
    bufferization and CSE see through it); `convert-prom-x86-to-llvm`
    turns it into the LLVM intrinsic, so the code must run on a CPU with
    the instruction.

    ```mlir
    %r = prom_x86.dot vpdpbusd %acc, %a, %b : vector<64xi8> -> vector<16xi32>
    ```
  }];
  let arguments = (ins PromX86_DotKindAttr:$kind,
                       VectorOfRankAndType<[1], [I16, I32]>:$acc,
                       VectorOfRankAndType<[1], [I8, I16]>:$a,
                       VectorOfRankAndType<[1], [I8, I16]>:$b);
  let results = (outs VectorOfRankAndType<[1], [I16, I32]>:$result);
  let assemblyFormat = [{
    $kind $acc `,` $a `,` $b attr-dict `:` type($a) `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// The LLVM intrinsic of this kind at this width.
    ::llvm::StringRef getIntrinsicName();
  }];
  let hasVerifier = 1;
}

def PromX86_Vpermi2bOp : PromX86_Op<"vpermi2b", [Pure,
    AllTypesMatch<["a", "indices", "b", "result"]>]> {
  let summary = "bytes of a 128-byte table (AVX-512 VBMI vpermi2b)";
  let description = [{
    `result[i] = (indices[i] & 64 ? b : a)[indices[i] & 63]`: the low 7
    bits of each index byte choose one of the 128 bytes of `a` and `b`, as
    `vpermi2b` does. `prom-table-vector` emits it; `convert-prom-x86-to-llvm`
    turns it into the LLVM intrinsic, so the code must run on a CPU with
    AVX-512 VBMI.

    ```mlir
    %r = prom_x86.vpermi2b %a, %indices, %b : vector<64xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[64], [I8]>:$a,
                       VectorOfLengthAndType<[64], [I8]>:$indices,
                       VectorOfLengthAndType<[64], [I8]>:$b);
  let results = (outs VectorOfLengthAndType<[64], [I8]>:$result);
  let assemblyFormat = [{
    $a `,` $indices `,` $b attr-dict `:` type($result)
  }];
}

def PromX86_AmxMatmulOp : PromX86_Op<"amx_matmul", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "an int8 matrix product on AMX tiles (tdpbssd)";
  let description = [{
    `init[m][n] = sum_k lhs[m][k] * rhs[k / 4][4 n + k % 4]`, in i32,
    wrapping: the product of signed bytes `lhs` (M x K) and signed bytes
    `rhs` in the VNNI layout of AMX's B tiles (K/4 rows of N groups of 4),
    as `tdpbssd` computes it. `init` only names the
    destination: its values are not read.

    Destination-style, on tensors (with a result) or on memrefs (without):
    `prom-pointwise-amx` emits it on tensors, bufferization turns it into
    the memref form, and `prom-lower-amx-matmul` lowers that to the `amx`
    dialect, so the code must run on a CPU with AMX int8. Shapes are
    static and the innermost dimensions contiguous.

    ```mlir
    %c = prom_x86.amx_matmul ins(%a, %b : tensor<32x96xi8>, tensor<24x128xi8>)
        outs(%init : tensor<32x32xi32>) -> tensor<32x32xi32>
    ```
  }];
  let arguments = (ins AnyShaped:$lhs, AnyShaped:$rhs, AnyShaped:$init);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

#endif // PROM_DIALECT_PROMX86_IR_PROMX86OPS_TD
