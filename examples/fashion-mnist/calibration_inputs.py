#!/usr/bin/python3
"""Writes Fashion-MNIST training images as prom-calibrate inputs: one float32
.npy of shape [N, 1, 28, 28] (pixels / 255, the models' input).

  /usr/bin/python3 examples/fashion-mnist/calibration_inputs.py OUT_DIR [N]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import DATA, read_idx  # noqa: E402


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 256
    images = read_idx(f"{DATA}/train-images-idx3-ubyte.gz")[:count]
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "train.npy"),
            (images.astype(np.float32) / 255.0)[:, None])


if __name__ == "__main__":
    main()
