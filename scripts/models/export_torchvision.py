#!/usr/bin/python3
"""Exports torchvision CNNs to ONNX for prom's end-to-end tests.

    /usr/bin/python3 scripts/models/export_torchvision.py [OUT_DIR]

OUT_DIR defaults to build/models/ in the repository (not checked in). Writes
  mobilenetv2.onnx          float32, opset 13            (~14 MB)
  mobilenetv3_small.onnx    float32, opset 13            (~10 MB)
  resnet18.onnx             float32, opset 13            (~45 MB)
  mobilenetv2_qdq.onnx      int8 QDQ of mobilenetv2.onnx (~3.5 MB)
Each has one input "input" (1x3x224x224 float32) and one output "logits"
(1x1000). Weights are random (torch.manual_seed(0), weights=None): nothing is
downloaded; BatchNorm statistics are then set from a few random batches so
activations do not vanish (see build()). Needs Debian's python3-torch, python3-torchvision, python3-onnx,
python3-numpy (scripts/install-model-tools.sh).

The QDQ model is written here with onnx + numpy, since ONNX Runtime's Python
quantization tool is not packaged in Debian:
  - every Conv and Gemm weight becomes an int8 initializer with symmetric
    per-output-channel scales (zero point 0) and DequantizeLinear(axis=0);
  - every Conv/Gemm input activation gets a QuantizeLinear/DequantizeLinear
    pair, int8 asymmetric, scale and zero point from the min/max seen on the
    inputs of the matching torch Conv2d/Linear over a few random inputs;
  - every bias becomes int32 with scale input_scale * weight_scale and
    DequantizeLinear(axis=0);
  - every residual Add, and the global average pool, gets a pair on its
    inputs and on its output, and the classifier on its output, the way
    ONNX Runtime's quantizer places them, so that the model is fully
    quantized: every convolution and the classifier end in a
    QuantizeLinear.
If node and tools/ort/node_modules are present, the script also runs the
models with ONNX Runtime (tools/ort/run.js) and compares them with
torch's output.
"""

import sys
import time
from pathlib import Path

import numpy as np
import onnx
import torch
import torchvision
from onnx import helper, numpy_helper

import ort_runner

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "build" / "models"
OPSET = 13
INPUT_SHAPE = (1, 3, 224, 224)
CALIBRATION_BATCHES = 4     # QDQ activation ranges: 4 inputs of 1x3x224x224
BN_CALIBRATION_BATCHES = 4  # BatchNorm statistics: 4 batches of 4


def log(msg):
    print(msg, flush=True)


def mib(path):
    return f"{path.stat().st_size / 2**20:.2f} MiB ({path.stat().st_size} B)"


def build(name):
    """Random weights; BatchNorm statistics recalibrated on random inputs.

    With fresh BatchNorm statistics (mean 0, var 1) the random network's
    activations shrink layer by layer (MobileNetV2 logits ~3e-9), useless
    for numeric tests. Running a few random batches in train mode with a
    cumulative average (momentum=None) sets each BatchNorm's statistics to
    what it sees, so activations stay O(1) (logits ~0.1-0.5) and the folded
    Conv biases are non-zero.
    """
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    gen = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for _ in range(BN_CALIBRATION_BATCHES):
            model(torch.randn(4, *INPUT_SHAPE[1:], generator=gen))
    return model.eval()


def export(model, path):
    x = torch.randn(*INPUT_SHAPE)
    t0 = time.perf_counter()
    with torch.no_grad():
        torch.onnx.export(model, x, str(path), opset_version=OPSET,
                          input_names=["input"], output_names=["logits"],
                          do_constant_folding=True)
    dt = time.perf_counter() - t0
    onnx.checker.check_model(str(path), full_check=True)
    return dt


def describe(path):
    m = onnx.load(str(path))
    opsets = ", ".join(f"{o.domain or 'ai.onnx'}:{o.version}"
                       for o in m.opset_import)
    counts = {}
    for n in m.graph.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    ops = ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
    log(f"  {path.name}: ir_version {m.ir_version}, opset {opsets}, "
        f"{len(m.graph.node)} nodes, {len(m.graph.initializer)} initializers")
    log(f"    ops: {ops}")


# --- QDQ ---------------------------------------------------------------------

def run_hooked(model, handles):
    """Runs the calibration inputs through model, then removes the hooks."""
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for _ in range(CALIBRATION_BATCHES):
            model(torch.randn(*INPUT_SHAPE, generator=gen))
    for h in handles:
        h.remove()


def calibrate(model):
    """Min/max of the input of every Conv2d/Linear, in execution order."""
    stats = []  # [module, min, max]
    index = {}

    def hook(module, inputs):
        x = inputs[0].detach()
        lo, hi = float(x.min()), float(x.max())
        if module not in index:
            index[module] = len(stats)
            stats.append([module, lo, hi])
        else:
            s = stats[index[module]]
            s[1], s[2] = min(s[1], lo), max(s[2], hi)

    handles = [m.register_forward_pre_hook(hook) for m in model.modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    run_hooked(model, handles)
    return stats


def calibrate_adds(model):
    """Min/max of the two inputs (block input, projection output) and the
    output of every residual add, in execution order; and of the global
    average pool's input and output."""
    stats = []
    index = {}

    def hook(module, inputs, output):
        if not getattr(module, "use_res_connect", False):
            return
        x = inputs[0].detach()
        y = output.detach()
        ranges = [(float(t.min()), float(t.max())) for t in (x, y - x, y)]
        if module not in index:
            index[module] = len(stats)
            stats.append(ranges)
        else:
            old = stats[index[module]]
            stats[index[module]] = [(min(a[0], b[0]), max(a[1], b[1]))
                                    for a, b in zip(old, ranges)]

    pool = []  # [(lo, hi) of the features, (lo, hi) of their means]

    def features_hook(module, inputs, output):
        y = output.detach()
        ranges = [(float(t.min()), float(t.max()))
                  for t in (y, y.mean(dim=(2, 3)))]
        pool[:] = ranges if not pool else [
            (min(a[0], b[0]), max(a[1], b[1])) for a, b in zip(pool, ranges)]

    blocks = [m for m in model.modules()
              if type(m).__name__ == "InvertedResidual"]
    handles = [m.register_forward_hook(hook) for m in blocks]
    handles.append(model.features.register_forward_hook(features_hook))
    logits = []

    def model_hook(module, inputs, output):
        y = output.detach()
        lo, hi = float(y.min()), float(y.max())
        logits[:] = [(lo, hi)] if not logits else [
            (min(logits[0][0], lo), max(logits[0][1], hi))]

    handles.append(model.register_forward_hook(model_hook))
    run_hooked(model, handles)
    return stats, pool + logits


def act_qparams(lo, hi):
    """int8 asymmetric scale/zero point covering [min(lo,0), max(hi,0)]."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zp = int(np.clip(np.round(-128 - lo / scale), -128, 127))
    return np.float32(scale), np.int8(zp)


def weight_qparams(w, axis):
    """Symmetric int8 per channel along axis; returns (w_q, scales)."""
    wt = np.moveaxis(w, axis, 0)
    amax = np.abs(wt.reshape(wt.shape[0], -1)).max(axis=1)
    scales = (np.maximum(amax, 1e-12) / 127.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    wq = np.clip(np.round(w / scales.reshape(shape)), -127, 127)
    return wq.astype(np.int8), scales


def make_qdq(float_path, qdq_path, torch_model):
    model = onnx.load(str(float_path))
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    # torch 1.13 dedups equal initializers (e.g. the all-zero biases left by
    # folding a freshly initialized BatchNorm) and aliases them with Identity
    # nodes: follow those to the initializer.
    identity_of = {n.output[0]: n.input[0] for n in g.node
                   if n.op_type == "Identity"}

    def resolve(name):
        while name not in inits and name in identity_of:
            name = identity_of[name]
        if name not in inits:
            raise RuntimeError(f"{name} is not an initializer")
        return name

    stats = calibrate(torch_model)

    targets = [n for n in g.node if n.op_type in ("Conv", "Gemm")]
    if len(targets) != len(stats):
        raise RuntimeError(f"{len(targets)} Conv/Gemm nodes in ONNX but "
                           f"{len(stats)} Conv2d/Linear calls in torch")
    for node, (module, _, _) in zip(targets, stats):
        wshape = tuple(inits[resolve(node.input[1])].dims)
        if wshape != tuple(module.weight.shape):
            raise RuntimeError(f"{node.name}: weight {wshape} does not match "
                               f"{tuple(module.weight.shape)}")

    new_inits = [t for t in g.initializer]
    new_nodes = []
    act = {}  # activation name -> (dq name, scale)
    target_ids = {id(n): i for i, n in enumerate(targets)}

    def add_init(name, array):
        new_inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def qdq_pair(x, lo, hi):
        """x's QuantizeLinear/DequantizeLinear pair (made once); its DQ."""
        if x in act:
            return act[x][0]
        scale, zp = act_qparams(lo, hi)
        base = f"{x}_q"
        add_init(f"{base}_scale", scale)
        add_init(f"{base}_zp", zp)
        new_nodes.extend([
            helper.make_node("QuantizeLinear",
                             [x, f"{base}_scale", f"{base}_zp"],
                             [f"{x}_quantized"], name=f"{x}_QuantizeLinear"),
            helper.make_node("DequantizeLinear",
                             [f"{x}_quantized", f"{base}_scale",
                              f"{base}_zp"],
                             [f"{x}_dq"], name=f"{x}_DequantizeLinear"),
        ])
        act[x] = (f"{x}_dq", scale)
        return f"{x}_dq"

    # Residual adds, in order: inputs (block input, projection) and output.
    adds = [n for n in g.node if n.op_type == "Add"]
    add_stats, pool_stats = calibrate_adds(torch_model)
    if len(adds) != len(add_stats):
        raise RuntimeError(f"{len(adds)} Add nodes in ONNX but "
                           f"{len(add_stats)} residual adds in torch")
    add_ids = {id(n): i for i, n in enumerate(adds)}
    projection = {}  # projection output -> its range
    for node, (skip, proj, _) in zip(adds, add_stats):
        producer = {o: n for n in g.node for o in n.output}
        for name, rng in zip(node.input, (skip, proj)):
            if producer.get(name) is not None and \
                    producer[name].op_type == "Conv" and \
                    id(producer[name]) in target_ids and name not in projection:
                projection[name] = rng
    # An Add's skip input may be another Add's output: it is quantized as
    # that output; a projection's range comes from its own conv.
    renamed = {}  # tensor -> its DQ, for consumers after the pair

    for node in g.node:
        if renamed and any(x in renamed for x in node.input) and \
                target_ids.get(id(node)) is None and \
                id(node) not in add_ids and node.op_type != "Flatten":
            raise RuntimeError(f"{node.name} reads a quantized add output")
        if node.op_type == "GlobalAveragePool":
            qnode = onnx.NodeProto()
            qnode.CopyFrom(node)
            del qnode.input[:]
            qnode.input.append(qdq_pair(node.input[0], *pool_stats[0]))
            new_nodes.append(qnode)
            renamed[node.output[0]] = qdq_pair(node.output[0], *pool_stats[1])
            continue
        if node.op_type == "Flatten" and node.input[0] in renamed:
            qnode = onnx.NodeProto()
            qnode.CopyFrom(node)
            qnode.input[0] = renamed[node.input[0]]
            new_nodes.append(qnode)
            continue
        j = add_ids.get(id(node))
        if j is not None:
            skip, proj, out_range = add_stats[j]
            inputs = []
            for x in node.input:
                if x in renamed:
                    inputs.append(renamed[x])
                elif x in projection:
                    inputs.append(qdq_pair(x, *projection[x]))
                else:
                    inputs.append(qdq_pair(x, *skip))
            qnode = onnx.NodeProto()
            qnode.CopyFrom(node)
            del qnode.input[:]
            qnode.input.extend(inputs)
            new_nodes.append(qnode)
            renamed[node.output[0]] = qdq_pair(node.output[0], *out_range)
            continue
        i = target_ids.get(id(node))
        if i is None:
            new_nodes.append(node)
            continue
        _, lo, hi = stats[i]
        x = node.input[0]
        if x in act:  # shared input (or an add's output): reuse its pair
            x_dq, x_scale = act[x]
        else:
            x_scale, x_zp = act_qparams(lo, hi)
            base = f"{x}_q"
            add_init(f"{base}_scale", x_scale)
            add_init(f"{base}_zp", x_zp)
            x_dq = f"{x}_dq"
            new_nodes += [
                helper.make_node("QuantizeLinear",
                                 [x, f"{base}_scale", f"{base}_zp"],
                                 [f"{x}_quantized"], name=f"{x}_QuantizeLinear"),
                helper.make_node("DequantizeLinear",
                                 [f"{x}_quantized", f"{base}_scale",
                                  f"{base}_zp"],
                                 [x_dq], name=f"{x}_DequantizeLinear"),
            ]
            act[x] = (x_dq, x_scale)

        wname = node.input[1]
        w = numpy_helper.to_array(inits[resolve(wname)])
        axis = 0
        if node.op_type == "Gemm":
            trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
            axis = 0 if trans_b else 1
        wq, ws = weight_qparams(w, axis)
        add_init(f"{wname}_quantized", wq)
        add_init(f"{wname}_scale", ws)
        add_init(f"{wname}_zp", np.zeros(ws.shape, np.int8))
        new_nodes.append(helper.make_node(
            "DequantizeLinear",
            [f"{wname}_quantized", f"{wname}_scale", f"{wname}_zp"],
            [f"{wname}_dq"], name=f"{wname}_DequantizeLinear", axis=axis))
        inputs = [x_dq, f"{wname}_dq"]

        if len(node.input) > 2 and node.input[2]:
            bname = node.input[2]
            b = numpy_helper.to_array(inits[resolve(bname)]).astype(np.float64)
            bs = (np.float64(x_scale) * ws.astype(np.float64))
            bq = np.clip(np.round(b / bs), -2**31, 2**31 - 1).astype(np.int32)
            add_init(f"{bname}_quantized", bq)
            add_init(f"{bname}_scale", bs.astype(np.float32))
            add_init(f"{bname}_zp", np.zeros(bq.shape, np.int32))
            new_nodes.append(helper.make_node(
                "DequantizeLinear",
                [f"{bname}_quantized", f"{bname}_scale", f"{bname}_zp"],
                [f"{bname}_dq"], name=f"{bname}_DequantizeLinear", axis=0))
            inputs.append(f"{bname}_dq")

        qnode = onnx.NodeProto()
        qnode.CopyFrom(node)
        del qnode.input[:]
        qnode.input.extend(inputs)
        new_nodes.append(qnode)
        # The classifier's output (the model's) through a pair as well.
        y = node.output[0]
        if node.op_type == "Gemm" and y in {o.name for o in g.output}:
            qnode.output[0] = f"{y}_float"
            dq = qdq_pair(f"{y}_float", *pool_stats[2])
            new_nodes.append(helper.make_node("Identity", [dq], [y],
                                              name=f"{y}_Identity"))

    # Drop nodes whose outputs nothing uses any more (the Identity aliases
    # of replaced weights and biases), then unused initializers.
    outputs = {o.name for o in g.output}
    while True:
        used = {i for n in new_nodes for i in n.input} | outputs
        live = [n for n in new_nodes if any(o in used for o in n.output)]
        if len(live) == len(new_nodes):
            break
        new_nodes = live
    still_used = {i for n in new_nodes for i in n.input}
    del g.initializer[:]
    g.initializer.extend(t for t in new_inits if t.name in still_used)
    del g.node[:]
    g.node.extend(new_nodes)
    # Drop stale value_info of removed tensors (none expected, but be safe).
    keep = {o for n in new_nodes for o in n.output} | {i.name for i in g.input}
    vi = [v for v in g.value_info if v.name in keep]
    del g.value_info[:]
    g.value_info.extend(vi)
    model.producer_name = "prom export_torchvision.py (QDQ)"
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(qdq_path))
    return len(targets)


# --- optional check with ONNX Runtime ----------------------------------------

def ort_check(out_dir, models):
    if not ort_runner.available():
        log("ORT check skipped (run scripts/install-model-tools.sh for it)")
        return True
    ok = True
    x = torch.randn(*INPUT_SHAPE, generator=torch.Generator().manual_seed(2))
    for fname, torch_model in models:
        with torch.no_grad():
            ref = torch_model(x).numpy().reshape(-1)
        result = ort_runner.run_like(out_dir / fname, x.numpy(), ref, log)
        if result is None:
            ok = False
            continue
        got, line = result
        diff = np.abs(got - ref)
        rel = float(np.linalg.norm(got - ref) / np.linalg.norm(ref))
        same_top1 = int(got.argmax()) == int(ref.argmax())
        log(f"  {fname}: {line}; vs torch float: max abs "
            f"{diff.max():.3g}, rel L2 {rel:.3g}, same top-1 {same_top1}")
    return ok


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip().splitlines()[2].strip())
        return 0 if len(argv) == 2 else 2
    out = Path(argv[1]) if len(argv) == 2 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    log(f"torch {torch.__version__}, torchvision {torchvision.__version__}, "
        f"onnx {onnx.__version__}; writing to {out}")

    models = {}
    for name, fname in (("mobilenet_v2", "mobilenetv2.onnx"),
                        ("mobilenet_v3_small", "mobilenetv3_small.onnx"),
                        ("resnet18", "resnet18.onnx")):
        t0 = time.perf_counter()
        model = build(name)
        log(f"built {name} (random weights, BatchNorm recalibrated) in "
            f"{time.perf_counter() - t0:.1f} s")
        models[fname] = model
        dt = export(model, out / fname)
        log(f"exported {fname} in {dt:.1f} s: {mib(out / fname)}")
        describe(out / fname)

    t0 = time.perf_counter()
    n = make_qdq(out / "mobilenetv2.onnx", out / "mobilenetv2_qdq.onnx",
                 models["mobilenetv2.onnx"])
    dt = time.perf_counter() - t0
    log(f"wrote mobilenetv2_qdq.onnx ({n} Conv/Gemm quantized) in {dt:.1f} s:"
        f" {mib(out / 'mobilenetv2_qdq.onnx')}")
    describe(out / "mobilenetv2_qdq.onnx")

    ok = ort_check(out, [(f, models[f]) for f in models] +
                   [("mobilenetv2_qdq.onnx", models["mobilenetv2.onnx"])])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
