#!/usr/bin/python3
"""Writes copies of ONNX models that declare an older opset.

usage: relabel_opset.py OUT_DIR OPSET MODEL...

Each model gets the default domain's opset OPSET and is kept only if the
ONNX checker (with shape inference) accepts it under that opset's schemas,
i.e. if its nodes mean the same there; the others are listed as skipped.
ONNX's version converter has no downward adapters for most operators, so
this is how prom's older-opset paths are checked against ONNX Runtime.
"""

import os
import sys

import onnx


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out, opset = sys.argv[1], int(sys.argv[2])
    kept = 0
    for path in sys.argv[3:]:
        model = onnx.load(path)
        for entry in model.opset_import:
            if entry.domain in ("", "ai.onnx"):
                entry.version = opset
        name = os.path.basename(path)
        try:
            onnx.checker.check_model(model, full_check=True)
        except Exception as e:  # the node's schema differs at this opset
            print(f"skipped {name}: {str(e).splitlines()[0]}")
            continue
        onnx.save(model, os.path.join(out, name))
        kept += 1
    print(f"{kept} models at opset {opset}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
