"""The anchor for `campaign-lens uplift FILE --outcome conversion --arm "Mens E-Mail"` (two-model,
boosting): scikit-learn's HistGradientBoostingClassifier as a two-model learner on the same rows and
features (one-hot zip_code and channel), a 70/30 split stratified by arm x outcome, Qini by scikit-uplift.
usage: python3 bench/uplift_sklearn.py FILE"""
import sys, time
import numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
df = df[df.segment.isin(["No E-Mail", "Mens E-Mail"])]
t = (df.segment == "Mens E-Mail").astype(int).values
y = df.conversion.values
X = pd.get_dummies(df[["recency", "history", "mens", "womens", "zip_code", "newbie", "channel"]]).astype(float).values
tr, te = train_test_split(np.arange(len(y)), test_size=0.3, stratify=2 * t + y, random_state=42)
t1 = time.perf_counter()
mt = HistGradientBoostingClassifier(random_state=42).fit(X[tr][t[tr] == 1], y[tr][t[tr] == 1])
mc = HistGradientBoostingClassifier(random_state=42).fit(X[tr][t[tr] == 0], y[tr][t[tr] == 0])
u = mt.predict_proba(X)[:, 1] - mc.predict_proba(X)[:, 1]
t2 = time.perf_counter()
try:
    from sklift.metrics import qini_auc_score
    q = qini_auc_score(y[te], u[te], t[te])
except ImportError:
    q = float("nan")
print(f"scikit-learn two-model HGB: fit + score {t2 - t1:.2f} s, whole script {t2 - t0:.2f} s, test Qini {q:.4f}")
