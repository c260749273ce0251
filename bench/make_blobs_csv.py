#!/usr/bin/env python3
"""Synthetic numeric CSV: a mixture of gaussian blobs (numpy only).

Usage: python bench/make_blobs_csv.py OUT [--rows 100000] [--features 12] [--centers 5] [--seed 0]

Columns x1..xN (float, 6 decimals) plus `responded` (0/1, depends on the blob),
which sklearn_sweep.py drops by default. Each blob has its own centre (uniform
in [-10, 10]) and its own standard deviation (uniform in [0.5, 2.5]).
"""
import argparse

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--features", type=int, default=12)
    ap.add_argument("--centers", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rng = np.random.RandomState(a.seed)
    centres = rng.uniform(-10, 10, size=(a.centers, a.features))
    stds = rng.uniform(0.5, 2.5, size=a.centers)
    rates = rng.uniform(0.02, 0.4, size=a.centers)
    blob = rng.randint(0, a.centers, size=a.rows)
    X = centres[blob] + rng.normal(size=(a.rows, a.features)) * stds[blob, None]
    responded = (rng.uniform(size=a.rows) < rates[blob]).astype(int)
    header = ",".join([f"x{i + 1}" for i in range(a.features)] + ["responded"])
    data = np.column_stack([X, responded])
    fmt = ["%.6f"] * a.features + ["%d"]
    np.savetxt(a.out, data, fmt=fmt, delimiter=",", header=header, comments="")


if __name__ == "__main__":
    main()
