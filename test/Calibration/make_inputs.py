"""Writes the calibration directories calibrate.test reads: OUT/<case>/."""
import sys
from pathlib import Path

import numpy as np

out = Path(sys.argv[1])
def save(case, name, array):
    (out / case).mkdir(parents=True, exist_ok=True)
    np.save(out / case / name, array)

# One input per file, and two stacked along the batch dimension: the input
# ranges over [-3, 4]; 2x clamped to [0, 6] ranges over [0, 6].
save("good", "a.npy", np.array([-2, 0.5, 1, 3], np.float32).reshape(1, 1, 1, 4))
save("good", "b.npy", np.array([[-1, 0, 0, 4], [0, 0, 0, -3]],
                               np.float32).reshape(2, 1, 1, 4))
(out / "good" / "notes.txt").write_text("not an input; ignored\n")
# 0, 1, ..., 1000 (shuffled): the 1st and 99th percentiles are 10 and 990.
rng = np.random.default_rng(0)
save("ramp", "r.npy", rng.permutation(1001).astype(np.float32).reshape(1, 1, 1001, 1))
save("float64", "x.npy", np.zeros((1, 1, 1, 4), np.float64))
save("int8", "x.npy", np.zeros((1, 1, 1, 4), np.int8))
save("shape", "x.npy", np.zeros((1, 1, 1, 5), np.float32))
(out / "garbage").mkdir(parents=True, exist_ok=True)
(out / "garbage" / "x.npy").write_bytes(b"PK\x03\x04 not numpy")
(out / "truncated").mkdir(parents=True, exist_ok=True)
np.save(out / "truncated" / "x.npy", np.zeros((1, 1, 1, 4), np.float32))
data = (out / "truncated" / "x.npy").read_bytes()
(out / "truncated" / "x.npy").write_bytes(data[:-3])
(out / "empty").mkdir(parents=True, exist_ok=True)
