#!/usr/bin/python3
"""Hellinger distance as Evidently computes it (the oracle has none):
numeric columns on Sturges bins over the combined data, categorical ones
per value; sqrt(sum((sqrt(p) - sqrt(q))^2)) / sqrt(2) on shares."""
import sys

import numpy as np
import pandas as pd

ref, cur, col, mode = sys.argv[1:5]
r = pd.read_csv(ref)[col].replace([np.inf, -np.inf], np.nan).dropna()
c = pd.read_csv(cur)[col].replace([np.inf, -np.inf], np.nan).dropna()
num = mode != "cat" and pd.api.types.is_numeric_dtype(r) and \
    pd.api.types.is_numeric_dtype(c)
if num:
    e = np.histogram_bin_edges(np.concatenate([r, c]).astype(float), "sturges")
    p = np.histogram(r, e)[0] / len(r)
    q = np.histogram(c, e)[0] / len(c)
else:
    keys = sorted(set(r.unique()) | set(c.unique()), key=str)
    rc, cc = r.value_counts(), c.value_counts()
    p = np.array([rc.get(k, 0) for k in keys], float) / len(r)
    q = np.array([cc.get(k, 0) for k in keys], float) / len(c)
h = np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)) / np.sqrt(2)
print(f"hellinger={h:.17g}")
