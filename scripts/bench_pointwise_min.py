#!/usr/bin/python3
"""Combines several outputs of prom-bench-pointwise: each cell (shape x
contender) is the smallest of its medians over the runs, the peaks the
largest measured. On a shared machine a disturbance slows whichever
contender is being timed; it would have to hit the same cell in every run
to survive this. Prints the combined table, the ratios the bench prints and
each contender's share of its scheme's peak on the deep layers.

    bench_pointwise_min.py run1.txt run2.txt ...
"""
import re
import sys

# A contender's scheme peak, by the names prom-bench-pointwise prints.
PEAK_OF = {
    "tern AVX2": "ternary AVX2",
    # The bench's int8 weights span [-127, 127]: prom takes the exact form.
    "int8 AVX2": "int8 AVX2 exact",
    "oneDNN AVX2": "int8 AVX2",
    "int8 dot": "int8 VNNI",
    "tern dot": "int8 VNNI",
    "oneDNN": "int8 VNNI",
}
RATIOS = [("int8 ref", "int8 dot"), ("int8 dot", "tern dot"),
          ("tern add", "tern dot"), ("int8 AVX2", "tern AVX2"),
          ("oneDNN", "int8 dot"), ("oneDNN", "tern dot"),
          ("oneDNN AVX2", "int8 AVX2"), ("oneDNN AVX2", "tern AVX2"),
          ("XNNPACK", "tern dot")]


def parse(path):
    """Column titles, {shape: (cin, MMACs, [times])}, peaks in MACs/ns."""
    titles, rows, peaks = None, {}, {}
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}")
    for line in lines:
        if line.startswith("register-resident peaks"):
            ghz = float(re.search(r"at the ([0-9.]+) GHz", line).group(1))
            for name, per_cycle in re.findall(
                    r"(ternary AVX2|int8 AVX2 exact|int8 AVX2|int8 VNNI) "
                    r"\([^)]*\) ([0-9.]+)",
                    line):
                peaks[name] = float(per_cycle) * ghz
        elif line.startswith("shape (us)"):
            # Titles hold spaces, and one is wider than its column.
            titles = re.findall(
                r"oneDNN AVX2|oneDNN|XNNPACK|harness|(?:int8|tern) \w+",
                line[len("shape (us)"):])
        elif titles and re.match(r"\d+->\d+@", line):
            fields = line.split()
            cin = int(fields[0].split("->")[0])
            rows[fields[0]] = (cin, float(fields[1]),
                               [float(f) for f in fields[2:]])
    if not titles or not rows:
        sys.exit(f"{path}: no prom-bench-pointwise table")
    return titles, rows, peaks


def main(paths):
    runs = [parse(p) for p in paths]
    titles = runs[0][0]
    if any(r[0] != titles for r in runs):
        sys.exit("the runs have different columns")
    rows = {}
    for shape, (cin, macs, _) in runs[0][1].items():
        cells = [min(r[1][shape][2][i] for r in runs)
                 for i in range(len(titles))]
        rows[shape] = (cin, macs, cells)
    peaks = {}
    for r in runs:
        for name, value in r[2].items():
            peaks[name] = max(peaks.get(name, 0), value)

    print(f"per-cell minimum over {len(runs)} runs (us)")
    print(f"{'shape (us)':<15} {'MMACs':>7}" +
          "".join(f" {t:>10}" for t in titles))
    totals = [0.0] * len(titles)
    for shape, (_, macs, cells) in rows.items():
        print(f"{shape:<15} {macs:7.2f}" + "".join(f" {c:10.0f}" for c in cells))
        totals = [t + c for t, c in zip(totals, cells)]
    all_macs = sum(m for _, m, _ in rows.values())
    print(f"{'total':<15} {all_macs:7.2f}" +
          "".join(f" {t:10.0f}" for t in totals))
    total = dict(zip(titles, totals))
    print("ratios (total time of the first over the second):")
    for a, b in RATIOS:
        if a in total and b in total:
            print(f"  {a:<11} / {b:<11} {total[a] / total[b]:6.2f}x")
    deep_macs = sum(m for cin, m, _ in rows.values() if cin >= 96)
    shares = []
    for i, title in enumerate(titles):
        peak = peaks.get(PEAK_OF.get(title, ""))
        if peak:
            micros = sum(c[i] for cin, _, c in rows.values() if cin >= 96)
            shares.append(f"{title} {100 * deep_macs * 1e3 / micros / peak:.0f}%")
    print("share of the scheme's peak on the deep layers (Cin >= 96, the "
          "largest peak of the runs): " + ", ".join(shares))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
