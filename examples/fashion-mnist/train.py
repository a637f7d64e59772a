#!/usr/bin/python3
"""Trains prom's Fashion-MNIST example network and exports it to ONNX.

Two stages, each deterministic (fixed seeds, one process):
  float  trains a small MobileNetV2-style network (inverted residual blocks:
         1x1 expand, 3x3 depthwise, 1x1 project; ReLU6; residuals) and
         exports fmnist-float.onnx.
  qat    starts from the float weights with BatchNorm folded into the convs
         and trains the PROM plan: pointwise (1x1) weights ternary {-1,0,+1}
         with one scale per output channel (TWN thresholds, straight-through
         gradients), every other weight int8 per output channel, biases
         int32 at scale s_in * s_w, activations uint8 per tensor from moving
         min/max (frozen for the last epochs). Exports fmnist-prom-qat.onnx
         as QDQ in which every weight is an int8 initializer (the ternary
         ones hold only -1, 0, 1) behind a DequantizeLinear.

Input: the image as float pixels / 255 in NCHW [1, 1, 28, 28]; output: the
10 class logits. Data: Debian's dataset-fashion-mnist. Prints accuracies and
writes them to <out>/<stage>-accuracy.json.

  /usr/bin/python3 examples/fashion-mnist/train.py --stage all --out examples/fashion-mnist
"""

import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"

# (expansion t, output channels c, stride s) per inverted residual block.
BLOCKS = [(1, 16, 2), (4, 24, 1), (4, 24, 1), (4, 40, 2), (4, 40, 1),
          (4, 64, 1)]
STEM = 16
LAST = 256


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big")
             for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(f"{DATA}/{prefix}-images-idx3-ubyte.gz")
    labels = read_idx(f"{DATA}/{prefix}-labels-idx1-ubyte.gz")
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


# --- float network --------------------------------------------------------


def conv_bn(cin, cout, k, stride=1, groups=1, relu=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups,
                        bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, t, cout, stride):
        super().__init__()
        hidden = cin * t
        layers = [conv_bn(cin, hidden, 1)] if t != 1 else []
        layers += [conv_bn(hidden, hidden, 3, stride, groups=hidden),
                   conv_bn(hidden, cout, 1, relu=False)]
        self.layers = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.layers(x)
        return x + y if self.residual else y


class FloatNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [conv_bn(1, STEM, 3)]
        cin = STEM
        for t, c, s in BLOCKS:
            layers.append(InvertedResidual(cin, t, c, s))
            cin = c
        layers.append(conv_bn(cin, LAST, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(LAST, 10)

    def forward(self, x):
        x = self.features(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x)


# --- PROM quantization-aware network -------------------------------------


class ActQuant(nn.Module):
    """uint8 per-tensor fake quantization from moving min/max (range widened
    to include 0). Exports as QuantizeLinear + DequantizeLinear."""

    def __init__(self, momentum=0.05):
        super().__init__()
        self.momentum = momentum
        self.observe = True
        self.register_buffer("lo", torch.tensor(0.0))
        self.register_buffer("hi", torch.tensor(0.0))
        self.register_buffer("seen", torch.tensor(False))

    def params(self):
        lo, hi = min(float(self.lo), 0.0), max(float(self.hi), 0.0)
        scale = max((hi - lo) / 255.0, 1e-8)
        zp = int(min(max(round(-lo / scale), 0), 255))
        return scale, zp

    def forward(self, x):
        if self.observe and self.training:
            lo, hi = x.detach().min(), x.detach().max()
            if not bool(self.seen):
                self.lo.copy_(lo), self.hi.copy_(hi), self.seen.fill_(True)
            else:
                self.lo.lerp_(lo, self.momentum)
                self.hi.lerp_(hi, self.momentum)
        scale, zp = self.params()
        return torch.fake_quantize_per_tensor_affine(x, scale, zp, 0, 255)


class FixedQuant(ActQuant):
    """Activation quantizer with a fixed range (the network input)."""

    def __init__(self, lo, hi):
        super().__init__()
        self.observe = False
        self.lo.fill_(lo), self.hi.fill_(hi), self.seen.fill_(True)


def ternarize(w):
    """TWN per output channel: delta = 0.7 mean|w|, scale = mean kept |w|.
    Returns (integers in {-1,0,1}, scales)."""
    flat = w.flatten(1)
    delta = 0.7 * flat.abs().mean(1, keepdim=True)
    keep = (flat.abs() > delta).float()
    scale = (flat.abs() * keep).sum(1) / keep.sum(1).clamp(min=1)
    return (flat.sign() * keep).view_as(w), scale.clamp(min=1e-8)


def int8_scales(w):
    return (w.detach().flatten(1).abs().amax(1) / 127.0).clamp(min=1e-8)


class QConv(nn.Module):
    """A conv with BatchNorm folded in; ternary (1x1, groups 1) or int8
    weights; output fake-quantized after the optional ReLU6."""

    def __init__(self, conv, bn, relu, input_quant):
        super().__init__()
        std = torch.sqrt(bn.running_var + bn.eps)
        gamma = bn.weight / std
        self.weight = nn.Parameter(
            (conv.weight * gamma.view(-1, 1, 1, 1)).detach().clone())
        self.bias = nn.Parameter(
            (bn.bias - bn.running_mean * gamma).detach().clone())
        self.stride, self.padding = conv.stride, conv.padding
        self.groups = conv.groups
        self.ternary = conv.kernel_size == (1, 1) and conv.groups == 1
        self.relu = relu
        self.input_quant = input_quant  # where this conv's input scale lives
        self.out_quant = ActQuant()

    def quantized_weight(self):
        if self.ternary:
            t, scale = ternarize(self.weight.detach())
            w = self.weight + (t * scale.view(-1, 1, 1, 1) - self.weight).detach()
        else:
            scale = int8_scales(self.weight)
            w = self.weight
        # Identity on ternary values; the int8 rounding otherwise. Exported
        # as a per-channel QuantizeLinear + DequantizeLinear pair.
        w = torch.fake_quantize_per_channel_affine(
            w, scale, torch.zeros_like(scale, dtype=torch.int32), 0, -128, 127)
        return w, scale

    def quantized_bias(self, weight_scale):
        step = self.input_quant.params()[0] * weight_scale.detach()
        return self.bias + (torch.round(self.bias / step) * step - self.bias).detach()

    def freeze(self):
        """Weights, scales and bias as constants, for export."""
        with torch.no_grad():
            w, scale = self.quantized_weight()
            self.frozen = (w.clone(), scale.clone(),
                           self.quantized_bias(scale).clone())

    def forward(self, x):
        if getattr(self, "frozen", None):
            w, scale, b = self.frozen
            w = torch.fake_quantize_per_channel_affine(
                w, scale, torch.zeros_like(scale, dtype=torch.int32), 0, -128,
                127)
        else:
            w, scale = self.quantized_weight()
            b = self.quantized_bias(scale)
        y = F.conv2d(x, w, b, self.stride, self.padding, 1, self.groups)
        if self.relu:
            y = torch.clamp(y, 0.0, 6.0)  # one Clip in ONNX (relu6 is two ops)
        return self.out_quant(y)


class QInvertedResidual(nn.Module):
    def __init__(self, block, input_quant):
        super().__init__()
        convs = []
        for seq in block.layers:
            relu = len(seq) == 3
            convs.append(QConv(seq[0], seq[1], relu, input_quant))
            input_quant = convs[-1].out_quant
        self.convs = nn.ModuleList(convs)
        self.residual = block.residual
        self.out_quant = ActQuant() if self.residual else convs[-1].out_quant

    def forward(self, x):
        y = x
        for conv in self.convs:
            y = conv(y)
        return self.out_quant(x + y) if self.residual else y


class QATNet(nn.Module):
    def __init__(self, net):
        super().__init__()
        net = net.eval()
        self.input_quant = FixedQuant(0.0, 1.0)
        stem = net.features[0]
        layers = [QConv(stem[0], stem[1], True, self.input_quant)]
        quant = layers[-1].out_quant
        for block in net.features[1:-1]:
            layers.append(QInvertedResidual(block, quant))
            quant = layers[-1].out_quant
        last = net.features[-1]
        layers.append(QConv(last[0], last[1], True, quant))
        self.features = nn.ModuleList(layers)
        self.pool_quant = ActQuant()
        self.fc_weight = nn.Parameter(net.classifier.weight.detach().clone())
        self.fc_bias = nn.Parameter(net.classifier.bias.detach().clone())
        self.logit_quant = ActQuant()

    def quantizers(self):
        return [m for m in self.modules()
                if isinstance(m, ActQuant) and not isinstance(m, FixedQuant)]

    def forward(self, x):
        x = self.input_quant(x)
        for layer in self.features:
            x = layer(x)
        x = self.pool_quant(F.adaptive_avg_pool2d(x, 1)).flatten(1)
        w, scale, b = self.frozen if getattr(self, "frozen", None) else self.classifier()
        w = torch.fake_quantize_per_channel_affine(
            w, scale, torch.zeros_like(scale, dtype=torch.int32), 0, -128, 127)
        return self.logit_quant(F.linear(x, w, b))

    def classifier(self):
        scale = int8_scales(self.fc_weight)
        step = self.pool_quant.params()[0] * scale
        b = self.fc_bias + (torch.round(self.fc_bias / step) * step - self.fc_bias).detach()
        return self.fc_weight, scale, b

    def freeze(self):
        for m in self.modules():
            if isinstance(m, QConv):
                m.freeze()
        with torch.no_grad():
            w, scale, b = self.classifier()
            w = torch.fake_quantize_per_channel_affine(
                w, scale, torch.zeros_like(scale, dtype=torch.int32), 0, -128,
                127)
            self.frozen = (w.clone(), scale.clone(), b.clone())


# --- training -------------------------------------------------------------


def augment(x, generator):
    """Random horizontal flips and shifts by up to 2 pixels."""
    n = x.shape[0]
    flip = torch.rand(n, generator=generator) < 0.5
    x = torch.where(flip.view(-1, 1, 1, 1), x.flip(3), x)
    padded = F.pad(x, (2, 2, 2, 2))
    dy, dx = torch.randint(0, 5, (2,), generator=generator).tolist()
    return padded[:, :, dy:dy + 28, dx:dx + 28]


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            # First maximum on ties, as the C evaluator does.
            correct += int((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum())
    return 100.0 * correct / len(x)


def train(model, data, epochs, lr, seed, on_epoch=None, batch=128):
    x, y, tx, ty = data
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = epochs * math.ceil(len(x) / batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / steps)))
    for epoch in range(epochs):
        if on_epoch:
            on_epoch(epoch)
        model.train()
        start = time.time()
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            loss = F.cross_entropy(model(augment(x[idx], generator)), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss) * len(idx)
        print(f"  epoch {epoch + 1}/{epochs}: loss {total / len(x):.4f}, "
              f"test {evaluate(model, tx, ty):.2f}%, {time.time() - start:.0f} s",
              flush=True)


def export(model, path):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path,
                      input_names=["image"], output_names=["logits"],
                      opset_version=13, do_constant_folding=True)


def store_integer_weights(path, weights):
    """The exporter folds the weights' QuantizeLinear/DequantizeLinear into
    float constants; this puts them back as the QAT model means them: an int8
    initializer (ternary ones hold only -1, 0, 1) and a per-output-channel
    DequantizeLinear. `weights` maps each quantized float weight (found by
    value) to its scales. Also turns Constant nodes into initializers."""
    import onnx
    from onnx import helper, numpy_helper
    model = onnx.load(path)
    graph = model.graph
    for node in [n for n in graph.node if n.op_type == "Constant"]:
        value = next(a.t for a in node.attribute if a.name == "value")
        value.name = node.output[0]
        graph.initializer.append(value)
        graph.node.remove(node)
    stored = 0
    for init in list(graph.initializer):
        w = numpy_helper.to_array(init)
        match = [s for f, s in weights if f.shape == w.shape and np.array_equal(f, w)]
        if not match:
            continue
        scale = match[0].astype(np.float32)
        q = np.round(w / scale.reshape([-1] + [1] * (w.ndim - 1)))
        assert np.abs(q).max() <= 127
        name = init.name
        graph.initializer.remove(init)
        graph.initializer.extend([
            numpy_helper.from_array(q.astype(np.int8), name + "_int8"),
            numpy_helper.from_array(scale, name + "_scale"),
            numpy_helper.from_array(np.zeros(scale.shape, np.int8), name + "_zero")])
        graph.node.insert(0, helper.make_node(
            "DequantizeLinear", [name + "_int8", name + "_scale", name + "_zero"],
            [name], name=name + "_dequantize", axis=0))
        stored += 1
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return stored


def ternary_summary(model):
    values = set()
    for m in model.modules():
        if isinstance(m, QConv) and m.ternary:
            values |= set(ternarize(m.weight.detach())[0].unique().tolist())
    return sorted(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stage", choices=["float", "qat", "all"],
                        default="all")
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--float-epochs", type=int, default=12)
    parser.add_argument("--qat-epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0,
                        help="train on the first N images only (smoke tests)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    data = load("train") + load("test")
    if args.limit:
        data = (data[0][:args.limit], data[1][:args.limit]) + data[2:]
    checkpoint = os.path.join(args.out, "fmnist-float.pt")

    if args.stage in ("float", "all"):
        start = time.time()
        print(f"float training, {args.float_epochs} epochs", flush=True)
        net = FloatNet()
        train(net, data, args.float_epochs, 2e-3, args.seed)
        accuracy = evaluate(net, data[2], data[3])
        minutes = (time.time() - start) / 60
        print(f"float: test accuracy {accuracy:.2f}% ({minutes:.1f} min)")
        torch.save(net.state_dict(), checkpoint)
        export(net, os.path.join(args.out, "fmnist-float.onnx"))
        with open(os.path.join(args.out, "float-accuracy.json"), "w") as f:
            json.dump({"top1": accuracy, "minutes": round(minutes, 1),
                       "epochs": args.float_epochs}, f, indent=1)

    if args.stage in ("qat", "all"):
        start = time.time()
        net = FloatNet()
        net.load_state_dict(torch.load(checkpoint))
        qat = QATNet(net)
        torch.manual_seed(args.seed + 1)
        freeze_at = max(1, args.qat_epochs - 2)

        def on_epoch(epoch):
            for q in qat.quantizers():
                q.observe = epoch < freeze_at

        print(f"PROM QAT, {args.qat_epochs} epochs (ranges frozen from "
              f"epoch {freeze_at + 1})", flush=True)
        train(qat, data, args.qat_epochs, 5e-4, args.seed + 1, on_epoch)
        accuracy = evaluate(qat, data[2], data[3])
        minutes = (time.time() - start) / 60
        print(f"PROM QAT (fake-quantized): test accuracy {accuracy:.2f}% "
              f"({minutes:.1f} min); ternary values {ternary_summary(qat)}")
        path = os.path.join(args.out, "fmnist-prom-qat.onnx")
        qat.freeze()
        frozen = evaluate(qat, data[2], data[3])
        assert frozen == accuracy, (frozen, accuracy)
        export(qat, path)
        weights = [(m.frozen[0].numpy(), m.frozen[1].numpy())
                   for m in qat.modules() if isinstance(m, QConv)]
        weights.append((qat.frozen[0].numpy(), qat.frozen[1].numpy()))
        stored = store_integer_weights(path, weights)
        assert stored == len(weights), (stored, len(weights))
        print(f"exported {path}: {stored} weight tensors stored as int8")
        with open(os.path.join(args.out, "qat-accuracy.json"), "w") as f:
            json.dump({"top1": accuracy, "minutes": round(minutes, 1),
                       "epochs": args.qat_epochs}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
