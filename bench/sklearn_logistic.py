#!/usr/bin/env python3
"""Logistic regression benchmark with scikit-learn, timed like a user's script.

Usage: python bench/sklearn_logistic.py FILE --target COL --positive VALUE [--sep ;] [--drop COL,COL]

Timing starts after imports and covers: read CSV, y = (target as str == VALUE),
X = all other columns minus --drop; non-numeric columns one-hot encoded
(OneHotEncoder(handle_unknown="ignore"), dense, drop=None: every level gets a
column), numeric columns StandardScaler, via ColumnTransformer in a Pipeline
with LogisticRegression(max_iter=1000) (C=1, lbfgs); 75/25 stratified split,
random_state=42; test ROC AUC. Prints one JSON object to stdout.

Feature names: `column=level` for one-hot levels, plain column name for numerics.
"""
import argparse
import json
import os
import resource
import sys
import time

import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def level_name(feature, category):
    return f"{feature}={category}"


def main():
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--target", required=True)
    ap.add_argument("--positive", required=True)
    ap.add_argument("--sep", default=",")
    ap.add_argument("--drop", default="", help="comma-separated columns to leave out")
    args = ap.parse_args()

    df = pd.read_csv(args.file, sep=args.sep)
    t_read = time.perf_counter()
    if args.target not in df.columns:
        sys.exit(f"target column {args.target!r} not in {list(df.columns)}")
    y = (df[args.target].astype(str) == args.positive).to_numpy()
    drop = [c for c in args.drop.split(",") if c]
    missing = [c for c in drop if c not in df.columns]
    if missing:
        sys.exit(f"--drop columns not found: {missing}")
    X = df.drop(columns=[args.target] + drop)
    # numeric = int/float dtypes; everything else (object, pandas-3 "str", category, bool) is one-hot
    num_cols = list(X.select_dtypes(include="number").columns)
    cat_cols = [c for c in X.columns if c not in num_cols]

    pre = ColumnTransformer(
        [
            ("num", StandardScaler(), num_cols),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False, drop=None,
                                  feature_name_combiner=level_name), cat_cols),
        ],
        verbose_feature_names_out=False,
    )
    model = Pipeline([("pre", pre), ("lr", LogisticRegression(max_iter=1000))])

    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)
    t = time.perf_counter()
    model.fit(X_tr, y_tr)
    fit_s = time.perf_counter() - t
    auc = roc_auc_score(y_te, model.predict_proba(X_te)[:, 1])
    total = time.perf_counter() - t0

    lr = model.named_steps["lr"]
    names = list(model.named_steps["pre"].get_feature_names_out())
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "pandas": pd.__version__,
        "rows": int(len(df)),
        "rows_train": int(len(y_tr)),
        "rows_test": int(len(y_te)),
        "positive_rate": float(y.mean()),
        "numeric_columns": num_cols,
        "categorical_columns": cat_cols,
        "features_after_encoding": len(names),
        "seconds_total": round(total, 4),
        "seconds_read": round(t_read - t0, 4),
        "seconds_fit": round(fit_s, 4),
        "auc": float(auc),
        "n_iter": int(lr.n_iter_[0]),
        "intercept": float(lr.intercept_[0]),
        "coef": {n: float(v) for n, v in zip(names, lr.coef_[0])},
        "cpu_count": os.cpu_count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=1))


if __name__ == "__main__":
    main()
