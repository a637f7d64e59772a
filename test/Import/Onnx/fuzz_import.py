#!/usr/bin/env python3
"""Mutation test of the ONNX importer: random byte changes and truncations
of the test models must give exit code 0 or 1 (imported or reported), never
a crash or a hang.

usage: fuzz_import.py PROM_TRANSLATE MODELS_DIR [--seed S] [--runs N]
"""

import argparse
import glob
import os
import random
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prom_translate")
    parser.add_argument("models")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    models = sorted(glob.glob(os.path.join(args.models, "*.onnx")))
    imported = rejected = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mutant.onnx")
        for run in range(args.runs):
            source = rng.choice(models)
            data = bytearray(open(source, "rb").read())
            for _ in range(rng.randint(1, 6)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
            if data and rng.random() < 0.2:
                data = data[:rng.randrange(len(data))]
            with open(path, "wb") as f:
                f.write(data)
            try:
                result = subprocess.run(
                    [args.prom_translate, "--import-onnx", path, "-o", os.devnull],
                    capture_output=True, timeout=30)
            except subprocess.TimeoutExpired:
                sys.exit(f"run {run}: hang on a mutant of {source}")
            if result.returncode not in (0, 1):
                kept = os.path.join(tempfile.gettempdir(), f"crash-{args.seed}-{run}.onnx")
                with open(kept, "wb") as f:
                    f.write(data)
                sys.exit(f"run {run}: exit code {result.returncode} on a mutant "
                         f"of {source} (kept as {kept}):\n"
                         f"{result.stderr.decode()[-2000:]}")
            if result.returncode == 0:
                imported += 1
            else:
                rejected += 1
    print(f"{args.runs} mutants: {imported} imported, {rejected} rejected, "
          "no crash")


if __name__ == "__main__":
    main()
