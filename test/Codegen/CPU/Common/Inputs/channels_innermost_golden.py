"""Inputs and golden outputs of channels-innermost.mlir's functions.

Writes DIR/{avg,max,depthwise,matmul}.in (and depthwise.w, depthwise.b,
matmul.b):
pseudo-random f32 inputs; and DIR/*.want: the results
computed one float at a time, each window (or row of products) summed in
order from zero as the TOSA ops do (then divided by its count, or added
to the bias).
"""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
x = np.random.default_rng(7).normal(size=(1, 6, 5, 24)).astype(np.float32)
x.tofile(os.path.join(out, "avg.in"))
x.tofile(os.path.join(out, "max.in"))

# Global average: kernel 6x5.
avg = np.zeros((1, 1, 1, 24), np.float32)
for c in range(24):
    acc = np.float32(0)
    for h in range(6):
        for w in range(5):
            acc = np.float32(acc + x[0, h, w, c])
    avg[0, 0, 0, c] = np.float32(acc / np.float32(30))
avg.tofile(os.path.join(out, "avg.want"))

# Max: kernel 3x2, stride 1, no padding.
mx = np.zeros((1, 4, 4, 24), np.float32)
for oh in range(4):
    for ow in range(4):
        mx[0, oh, ow] = x[0, oh:oh + 3, ow:ow + 2].reshape(-1, 24).max(axis=0)
mx.tofile(os.path.join(out, "max.want"))

# Depthwise 3x3, stride 2, one output per channel, then the bias.
rng = np.random.default_rng(8)
dx = rng.normal(size=(1, 7, 5, 24)).astype(np.float32)
dw = rng.normal(size=(3, 3, 24, 1)).astype(np.float32)
db = rng.normal(size=(24,)).astype(np.float32)
for name, a in (("in", dx), ("w", dw), ("b", db)):
    a.tofile(os.path.join(out, "depthwise." + name))
dy = np.zeros((1, 3, 2, 24), np.float32)
for oh in range(3):
    for ow in range(2):
        for c in range(24):
            acc = np.float32(0)
            for kh in range(3):
                for kw in range(3):
                    p = np.float32(dx[0, 2 * oh + kh, 2 * ow + kw, c] *
                                   dw[kh, kw, c, 0])
                    acc = np.float32(acc + p)
            dy[0, oh, ow, c] = np.float32(db[c] + acc)
dy.tofile(os.path.join(out, "depthwise.want"))

# Matmul 1x2x9 by 1x9x24.
ma = rng.normal(size=(1, 2, 9)).astype(np.float32)
mb = rng.normal(size=(1, 9, 24)).astype(np.float32)
ma.tofile(os.path.join(out, "matmul.in"))
mb.tofile(os.path.join(out, "matmul.b"))
my = np.zeros((1, 2, 24), np.float32)
for m in range(2):
    for n in range(24):
        acc = np.float32(0)
        for k in range(9):
            acc = np.float32(acc + np.float32(ma[0, m, k] * mb[0, k, n]))
        my[0, m, n] = acc
my.tofile(os.path.join(out, "matmul.want"))
