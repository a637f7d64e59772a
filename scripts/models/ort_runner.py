"""Runs an ONNX model with ONNX Runtime (tools/ort/run.js, onnxruntime-node)
for the export scripts' checks against torch."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def available():
    """Whether node and onnxruntime-node (scripts/install-model-tools.sh)
    are installed."""
    return bool(shutil.which("node")) and (
        REPO / "tools" / "ort" / "node_modules" / "onnxruntime-node").is_dir()


def run(model_path, x):
    """The model's first output on input `x` (float32), and run.js's line
    ("ort: <shape> in <ms> ms"); raises RuntimeError if ONNX Runtime fails."""
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.bin", Path(tmp) / "out.bin"
        np.asarray(x, dtype="<f4").tofile(inp)
        r = subprocess.run([shutil.which("node"),
                            str(REPO / "tools" / "ort" / "run.js"),
                            str(model_path), str(inp), str(out), "--bench",
                            "5"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.strip())
        return np.fromfile(out, "<f4"), r.stdout.strip()


def run_like(model_path, x, ref, log):
    """run(), with a failure or an output of another size than `ref` logged
    and returned as None; else (output, run.js's line)."""
    name = Path(model_path).name
    try:
        got, line = run(model_path, x)
    except RuntimeError as e:
        log(f"  {name}: ORT FAILED: {e}")
        return None
    if got.size != ref.size:
        log(f"  {name}: ORT output has {got.size} values, want {ref.size}")
        return None
    return got, line
