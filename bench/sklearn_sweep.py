#!/usr/bin/env python3
"""K-means sweep (k = 2..10) with scikit-learn, timed like a user's script.

Usage: python bench/sklearn_sweep.py FILE [--n-init 10|auto] [--target COL] [--sep ,]

Timing starts after imports and covers: read CSV, select numeric columns
(all numeric columns except the target; default target `responded`, dropped
only if present), StandardScaler, then for k = 2..10 KMeans fit + silhouette
(sample_size=3000, random_state=42). Prints one JSON object to stdout.
"""
import argparse
import json
import os
import resource
import sys
import time

import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def parse_n_init(s):
    return "auto" if s == "auto" else int(s)


def main():
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--n-init", type=parse_n_init, default=10)
    ap.add_argument("--target", default="responded",
                    help="column to exclude from the features (default: responded, if present)")
    ap.add_argument("--sep", default=",")
    ap.add_argument("--drop", default="",
                    help="comma-separated columns to leave out (e.g. customer_id, an identifier)")
    ap.add_argument("--k-min", type=int, default=2)
    ap.add_argument("--k-max", type=int, default=10)
    args = ap.parse_args()

    df = pd.read_csv(args.file, sep=args.sep)
    t_read = time.perf_counter()
    num = df.select_dtypes(include="number")
    if args.target in num.columns:
        num = num.drop(columns=[args.target])
    drop = [c for c in args.drop.split(",") if c]
    num = num.drop(columns=[c for c in drop if c in num.columns])
    if num.shape[1] == 0:
        sys.exit("no numeric feature columns")
    n_missing_rows = int(num.isna().any(axis=1).sum())
    if n_missing_rows:
        sys.exit(f"{n_missing_rows} rows have missing numeric values; KMeans cannot take NaN")
    X = StandardScaler().fit_transform(num.to_numpy(dtype="float64"))

    inertia, silhouette, fit_s, sil_s, n_iter = {}, {}, 0.0, 0.0, {}
    for k in range(args.k_min, args.k_max + 1):
        t = time.perf_counter()
        km = KMeans(n_clusters=k, n_init=args.n_init, random_state=42).fit(X)
        fit_s += time.perf_counter() - t
        inertia[str(k)] = float(km.inertia_)
        n_iter[str(k)] = int(km.n_iter_)
        t = time.perf_counter()
        silhouette[str(k)] = float(silhouette_score(X, km.labels_, sample_size=3000, random_state=42))
        sil_s += time.perf_counter() - t
    total = time.perf_counter() - t0

    print(json.dumps({
        "sklearn": sklearn.__version__,
        "pandas": pd.__version__,
        "n_init": args.n_init,
        "rows": int(X.shape[0]),
        "features": int(X.shape[1]),
        "feature_names": list(num.columns),
        "seconds_total": round(total, 4),
        "seconds_read": round(t_read - t0, 4),
        "seconds_fit": round(fit_s, 4),
        "seconds_silhouette": round(sil_s, 4),
        "inertia": inertia,
        "silhouette": silhouette,
        "kmeans_n_iter": n_iter,
        "cpu_count": os.cpu_count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=1))


if __name__ == "__main__":
    main()
