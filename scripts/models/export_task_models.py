#!/usr/bin/python3
"""Exports a segmentation model and a text recognizer to ONNX for prom.

    /usr/bin/python3 scripts/models/export_task_models.py [OUT_DIR]

OUT_DIR defaults to build/models/ in the repository (not checked in). Writes
  lraspp.onnx            torchvision LR-ASPP MobileNetV3-Large, 21 classes;
                         input "input" 1x3x224x224, output "out"
                         1x21x224x224 (the "out" entry of the model's dict)
  text_recognizer.onnx   a small CRNN-style recognizer without recurrence;
                         input "input" 1x1x32x128 (a grey text line),
                         output "probs" 1x32x37 (softmax over 37 symbols
                         for each of 32 columns)
Both are float32, opset 13, static shapes, exported in eval mode with
constant folding, so every BatchNorm is folded into the Conv before it.
Weights are random (torch.manual_seed(0); weights=None,
weights_backbone=None): nothing is downloaded. BatchNorm statistics are then
set from a few random batches, as in export_torchvision.py, so activations
do not vanish (see calibrate_bn()). Needs Debian's python3-torch,
python3-torchvision, python3-onnx, python3-numpy
(scripts/install-model-tools.sh).

The text recognizer is a convolutional backbone that brings the 32x128
line down to 1x32 (height 1, 32 columns of 128 channels), a
Squeeze/Transpose to a [1, 32, 128] sequence, then Linear(128, 64), ReLU,
Linear(64, 37) on that rank-3 sequence (MatMul + Add each) and a Softmax
over the last axis. Its graph has only Conv, Relu, MaxPool, Squeeze (axes
from a Constant), Transpose, MatMul, Add and Softmax.

For each model the script prints its path, size, opset, input and output
shapes and the op types with their counts. If node and
tools/ort/node_modules are present, it then runs each model with ONNX
Runtime (tools/ort/run.js) on one random input and prints
max |ort - torch| / max |torch|.
"""

import inspect
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import torch
import torchvision
from torch import nn

import ort_runner

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "build" / "models"
OPSET = 13
BN_CALIBRATION_BATCHES = 4  # BatchNorm statistics: 4 batches of 4
TOLERANCE = 1e-4            # max |ort - torch| / max |torch|

LRASPP_INPUT = (1, 3, 224, 224)
LRASPP_CLASSES = 21
TEXT_INPUT = (1, 1, 32, 128)
TEXT_SYMBOLS = 37           # e.g. 26 letters, 10 digits and the CTC blank


def log(msg):
    print(msg, flush=True)


def mib(path):
    return f"{path.stat().st_size / 2**20:.2f} MiB ({path.stat().st_size} B)"


def calibrate_bn(model, input_shape):
    """Sets every BatchNorm's statistics from random batches; eval mode.

    As in export_torchvision.py's build(): with fresh statistics (mean 0,
    var 1) a random network's activations shrink layer by layer. Running a
    few random batches in train mode with a cumulative average
    (momentum=None) sets each BatchNorm's statistics to what it sees, so
    activations stay O(1) and the folded Conv biases are non-zero.
    """
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    gen = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for _ in range(BN_CALIBRATION_BATCHES):
            model(torch.randn(4, *input_shape[1:], generator=gen))
    return model.eval()


# --- models ------------------------------------------------------------------

class OutTensor(nn.Module):
    """Returns the "out" entry of a torchvision segmentation model's dict."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def build_lraspp():
    torch.manual_seed(0)
    model = torchvision.models.segmentation.lraspp_mobilenet_v3_large(
        weights=None, weights_backbone=None, num_classes=LRASPP_CLASSES)
    return calibrate_bn(OutTensor(model), LRASPP_INPUT)


def conv_bn_relu(cin, cout, kernel=3, padding=1):
    return [nn.Conv2d(cin, cout, kernel, padding=padding, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class TextRecognizer(nn.Module):
    """1x1x32x128 grey line -> 1x32x37 per-column symbol probabilities."""

    def __init__(self, symbols=TEXT_SYMBOLS):
        super().__init__()
        self.backbone = nn.Sequential(
            *conv_bn_relu(1, 32), nn.MaxPool2d(2, 2),          # 16x64
            *conv_bn_relu(32, 64), nn.MaxPool2d(2, 2),         # 8x32
            *conv_bn_relu(64, 128),
            nn.MaxPool2d((2, 1), (2, 1)),                      # 4x32
            *conv_bn_relu(128, 128),
            *conv_bn_relu(128, 128, kernel=(4, 1), padding=0))  # 1x32
        self.fc1 = nn.Linear(128, 64)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Linear(64, symbols)
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, x):
        f = self.backbone(x)                  # [1, 128, 1, 32]
        seq = f.squeeze(2).permute(0, 2, 1)   # [1, 32, 128]
        return self.softmax(self.fc2(self.relu(self.fc1(seq))))


def build_text_recognizer():
    torch.manual_seed(0)
    return calibrate_bn(TextRecognizer(), TEXT_INPUT)


# --- export and description --------------------------------------------------

def export(model, path, input_shape, output_name):
    kwargs = dict(opset_version=OPSET, input_names=["input"],
                  output_names=[output_name], do_constant_folding=True,
                  training=torch.onnx.TrainingMode.EVAL)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter
    x = torch.randn(*input_shape)
    t0 = time.perf_counter()
    with torch.no_grad():
        torch.onnx.export(model, x, str(path), **kwargs)
    dt = time.perf_counter() - t0
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    return dt


def shape_of(value_info):
    dims = value_info.type.tensor_type.shape.dim
    return "x".join(str(d.dim_value) if d.HasField("dim_value")
                    else d.dim_param or "?" for d in dims)


def describe(path):
    m = onnx.load(str(path))
    g = m.graph
    opsets = ", ".join(f"{o.domain or 'ai.onnx'}:{o.version}"
                       for o in m.opset_import)
    inits = {t.name for t in g.initializer}
    ins = ", ".join(f"{i.name} {shape_of(i)}" for i in g.input
                    if i.name not in inits)
    outs = ", ".join(f"{o.name} {shape_of(o)}" for o in g.output)
    counts = {}
    for n in g.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    ops = ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
    log(f"  {path}: {mib(path)}")
    log(f"    ir_version {m.ir_version}, opset {opsets}, {len(g.node)} nodes, "
        f"{len(g.initializer)} initializers")
    log(f"    input {ins}; output {outs}")
    log(f"    ops: {ops}")


# --- optional check with ONNX Runtime ----------------------------------------

def ort_check(out_dir, models):
    """models: [(file name, torch model, input shape)]. True if each agrees
    with torch to TOLERANCE (or if ONNX Runtime is not installed)."""
    if not ort_runner.available():
        log("ORT check skipped (run scripts/install-model-tools.sh for it)")
        return True
    ok = True
    for fname, torch_model, input_shape in models:
        x = torch.randn(*input_shape,
                        generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            ref = torch_model(x).numpy().reshape(-1)
        result = ort_runner.run_like(out_dir / fname, x.numpy(), ref, log)
        if result is None:
            ok = False
            continue
        got, line = result
        rel = float(np.abs(got - ref).max() / np.abs(ref).max())
        good = rel < TOLERANCE
        ok = ok and good
        log(f"  {fname}: {line}; max |ort - torch| / max |torch| = "
            f"{rel:.3g} (max |torch| {np.abs(ref).max():.3g})"
            f"{'' if good else ' TOO LARGE'}")
    return ok


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip().splitlines()[2].strip())
        return 0 if len(argv) == 2 else 2
    out = Path(argv[1]) if len(argv) == 2 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    log(f"torch {torch.__version__}, torchvision {torchvision.__version__}, "
        f"onnx {onnx.__version__}; writing to {out}")

    start = time.perf_counter()
    models = []
    for fname, build, input_shape, output_name in (
            ("lraspp.onnx", build_lraspp, LRASPP_INPUT, "out"),
            ("text_recognizer.onnx", build_text_recognizer, TEXT_INPUT,
             "probs")):
        t0 = time.perf_counter()
        model = build()
        log(f"built {fname} (random weights, BatchNorm recalibrated) in "
            f"{time.perf_counter() - t0:.1f} s")
        dt = export(model, out / fname, input_shape, output_name)
        log(f"exported {fname} in {dt:.1f} s")
        describe(out / fname)
        models.append((fname, model, input_shape))

    ok = ort_check(out, models)
    log(f"done in {time.perf_counter() - start:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
