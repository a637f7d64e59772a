"""Summarises a prom-calibrate SQNR report and checks a floor.

    sqnr_summary.py REPORT.json --min-output-db DB

Prints the output SQNR, the number of quantization points and the lowest
point SQNR; exits 1 when the output SQNR is below DB.
"""
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("report")
parser.add_argument("--min-output-db", type=float, required=True)
args = parser.parse_args()

points = json.load(open(args.report))["points"]
outputs = [p for p in points if p["value"].startswith("output")]
activations = [p for p in points if p["value"] == "activation"]
inf = float("inf")
db = lambda p: inf if p["sqnr_db"] is None else p["sqnr_db"]
out = min(db(p) for p in outputs)
print(f"output SQNR {out:.1f} dB; {len(activations)} activations, "
      f"lowest {min(map(db, activations)):.1f} dB")
if out < args.min_output_db:
    print(f"FAIL: output SQNR below {args.min_output_db} dB")
    sys.exit(1)
print(f"ok: output SQNR >= {args.min_output_db} dB")
