"""Inputs and golden outputs of pooling-channels-innermost.mlir's pools.

Writes DIR/{avg,max}.in and DIR/{avg,max}.want: a pseudo-random
1x6x5x24 f32 input, and the pools computed one float at a time, each
window summed row by row as TOSA's avg_pool2d does, then divided by its
count.
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
