#!/usr/bin/python3
"""Write the drift test data sets (deterministic; numpy seed 5).

Synthetic pairs with empty cells, NaN and inf, a constant column, few-valued
integers, categories that appear or vanish; and python3-vega-datasets'
seattle-weather.csv (BSD-3-Clause, vega/vega-datasets) split by year and
split at random.  Run by regen.sh; the CSVs it writes are committed.
"""
import csv
import os
import sys

import numpy as np

rng = np.random.default_rng(5)


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def fmt(v):
    if isinstance(v, str):
        return v
    if np.isnan(v):
        return "NaN"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(float(round(v, 6)))


def synth(name, n_ref, n_cur, shift, scale, catp_ref, catp_cur):
    for side, n, sh, sc, cp in (("ref", n_ref, 0.0, 1.0, catp_ref),
                                ("cur", n_cur, shift, scale, catp_cur)):
        x = rng.normal(10 + sh, 2 * sc, n)
        u = rng.uniform(0, 1, n)
        k = rng.integers(0, 5, n) + (1 if side == "cur" and shift > 0.5 else 0)
        cats = list(cp.keys())
        c = rng.choice(cats, n, p=list(cp.values()))
        b = rng.choice(["yes", "no"], n, p=[0.3 + sh / 10, 0.7 - sh / 10])
        rows = []
        for i in range(n):
            xv = x[i]
            if i % 97 == 3:
                xv = float("nan")
            elif i % 211 == 5:
                xv = float("inf")
            rows.append([fmt(xv) if i % 53 != 7 else "", fmt(u[i] * 100),
                         str(k[i]), c[i] if i % 41 != 2 else "NA", b[i], "7"])
        write(f"{name}_{side}.csv", ["x", "u", "k", "color", "flag", "const"],
              rows)


synth("small", 200, 150, 0.8, 1.3, {"red": .5, "green": .3, "blue": .2},
      {"red": .3, "green": .3, "blue": .3, "violet": .1})
synth("equal", 500, 500, 0.15, 1.0, {"red": .5, "green": .5},
      {"red": .45, "green": .55})
synth("mid", 3000, 2000, 0.05, 1.05, {"a": .4, "b": .4, "c": .2},
      {"a": .4, "b": .41, "c": .19})
synth("large", 12000, 11000, 0.04, 1.0, {"a": .4, "b": .4, "c": .2},
      {"a": .4, "b": .4, "c": .2})

src = None
for d in sys.argv[1:] + ["/usr/lib/python3/dist-packages/vega_datasets/_data",
                         "/usr/share/vega-datasets/data"]:
    p = os.path.join(d, "seattle-weather.csv")
    if os.path.exists(p):
        src = p
        break
if src is None:
    sys.exit("seattle-weather.csv not found: apt-get install python3-vega-datasets")
with open(src, newline="") as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
by_year = {}
for r in rows:
    by_year.setdefault(r[0][:4], []).append(r)
write("seattle_2012.csv", header, by_year["2012"])
write("seattle_2015.csv", header, by_year["2015"])
idx = rng.permutation(len(rows))
half = len(rows) // 2
write("seattle_randa.csv", header, [rows[i] for i in sorted(idx[:half])])
write("seattle_randb.csv", header, [rows[i] for i in sorted(idx[half:])])
