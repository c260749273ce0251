#!/usr/bin/env python3
"""Model-lineup reference with scikit-learn (and LightGBM when installed), timed like a user's script.

Usage: python bench/sklearn_models.py FILE --target COL --positive VALUE [--sep ;] [--drop COL,COL]
       [--models hgb,rf,lgbm,svm,logistic] [--importance] [--calibration]

Same preparation as sklearn_logistic.py: y = (target as str == VALUE); numeric columns as they are
(StandardScaler for logistic/SVM), other columns one-hot (every level a column, `column=level`); 75/25
stratified split, random_state=42. HistGradientBoostingClassifier and RandomForestClassifier(300) with
default settings; SVC(rbf, probability=True) on a stratified sample of 5,000 training rows. Prints one
JSON object: per model the seconds to fit, test ROC AUC and Brier score; with --importance the
permutation importance (roc_auc, n_repeats=5, random_state=42) of every column on the test rows.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC


def main():
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--target", required=True)
    ap.add_argument("--positive", required=True)
    ap.add_argument("--sep", default=",")
    ap.add_argument("--drop", default="")
    ap.add_argument("--models", default="hgb")
    ap.add_argument("--importance", action="store_true")
    ap.add_argument("--trees", type=int, default=300)
    ap.add_argument("--native", action="store_true",
                    help="HGB only: categorical columns as pandas categories (native splits, no one-hot)")
    args = ap.parse_args()
    df = pd.read_csv(args.file, sep=args.sep)
    y = (df[args.target].astype(str) == args.positive).to_numpy()
    drop = [c for c in args.drop.split(",") if c]
    X = df.drop(columns=[args.target] + drop)
    for c in X.columns:  # blanks in numeric-looking text columns (Telco's TotalCharges) as numbers
        if X[c].dtype == object or str(X[c].dtype) == "str":
            conv = pd.to_numeric(X[c].str.strip().replace("", np.nan), errors="coerce")
            if conv.notna().sum() >= 0.95 * len(conv):
                X[c] = conv
    num = list(X.select_dtypes(include="number").columns)
    cat = [c for c in X.columns if c not in num]
    X[num] = X[num].fillna(X[num].median())
    enc = ColumnTransformer(
        [("num", "passthrough", num),
         ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False,
                               feature_name_combiner=lambda f, c: f"{f}={c}"), cat)],
        verbose_feature_names_out=False)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)
    if args.native:
        for c in cat:
            X_tr[c] = X_tr[c].astype("category")
            X_te[c] = pd.Categorical(X_te[c], categories=X_tr[c].cat.categories)
        A_tr, A_te, names = X_tr, X_te, list(X.columns)
    else:
        A_tr = enc.fit_transform(X_tr)
        A_te = enc.transform(X_te)
        names = list(enc.get_feature_names_out())
    out = {"sklearn": sklearn.__version__, "rows": len(df), "features": len(names), "models": {}}
    for m in args.models.split(","):
        if m == "hgb":
            model = HistGradientBoostingClassifier(
                random_state=42, categorical_features="from_dtype" if args.native else None)
        elif m == "rf":
            model = RandomForestClassifier(n_estimators=args.trees, n_jobs=-1, random_state=42)
        elif m == "lgbm":
            import lightgbm
            model = lightgbm.LGBMClassifier(verbose=-1, random_state=42)
        elif m == "logistic":
            model = Pipeline([("s", StandardScaler()), ("m", LogisticRegression(max_iter=1000))])
        elif m == "svm":
            model = Pipeline([("s", StandardScaler()), ("m", SVC(probability=True, random_state=42))])
        else:
            sys.exit(f"unknown model {m}")
        fx, fy = A_tr, y_tr
        if m == "svm" and len(y_tr) > 5000:
            fx, _, fy, _ = train_test_split(A_tr, y_tr, train_size=5000, stratify=y_tr, random_state=42)
        t = time.perf_counter()
        model.fit(fx, fy)
        fit_s = time.perf_counter() - t
        p = model.predict_proba(A_te)[:, 1]
        rec = {"seconds_fit": round(fit_s, 3), "auc": float(roc_auc_score(y_te, p)),
               "brier": float(brier_score_loss(y_te, p))}
        if m == "hgb":
            rec["n_iter"] = int(model.n_iter_)
        if args.importance:
            r = permutation_importance(model, A_te, y_te, scoring="roc_auc", n_repeats=5,
                                       random_state=42, n_jobs=1)
            order = np.argsort(-r.importances_mean)
            rec["importance"] = [[names[i], round(float(r.importances_mean[i]), 5)] for i in order]
        out["models"][m] = rec
    out["seconds_total"] = round(time.perf_counter() - t0, 3)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
