"""Reference figures for `campaign-lens recommend` (issue #16) with pandas, scipy and numpy.

Protocol: lines with a customer, not cancelled (invoice not starting with C), positive quantity. Train on lines
before the holdout date, evaluate customers with a training purchase and at least one new item (not bought in
training) in the holdout. Each gets the top K items they have not bought. Popularity ranks items by distinct
training customers; EASE (Steck 2019) is B = I - P diagMat(1/diag P), P = (X'X + lambda I)^-1, diag B = 0.

    python3 bench/recommend_reference.py ../shared/data/online_retail_II_2009-2010.parquet 2010-11-09 [K] [--no-cosine]

(the item-item cosine row takes minutes; --no-cosine leaves it out, for timing against `recommend`)
"""
import sys, time
import numpy as np
import pandas as pd
import scipy.sparse as sp

path = sys.argv[1]
cut = pd.Timestamp(sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else "2010-11-09")
args = [a for a in sys.argv if not a.startswith("--")]
K = int(args[3]) if len(args) > 3 else 10
lam = 100.0
df = pd.read_parquet(path)
df = df[df["Customer ID"].notna() & ~df["Invoice"].astype(str).str.startswith("C") & (df["Quantity"] > 0)]
df = df.assign(day=pd.to_datetime(df["InvoiceDate"]), cust=df["Customer ID"].astype(int), item=df["StockCode"].astype(str))
train, hold = df[df.day < cut], df[df.day >= cut]
items = np.array(sorted(train.item.unique()))
custs = np.array(sorted(train.cust.unique()))
ii = {v: i for i, v in enumerate(items)}
ci = {v: i for i, v in enumerate(custs)}
pairs = train[["cust", "item"]].drop_duplicates()
X = sp.csr_matrix((np.ones(len(pairs)), (pairs.cust.map(ci), pairs.item.map(ii))), shape=(len(custs), len(items)))
seen = {c: set(g) for c, g in pairs.groupby("cust").item}
new = {}
for c, g in hold[["cust", "item"]].drop_duplicates().groupby("cust").item:
    if c in seen:
        n = set(g) - seen[c]
        if n:
            new[c] = n
print(f"train customers {len(custs)}, items {len(items)}, evaluated {len(new)}")

def evaluate(name, scorer):
    hits_any = prec = rec = 0.0
    for c, n in new.items():
        s = scorer(ci[c]).astype(float).copy()
        s[X[ci[c]].indices] = -np.inf
        top = np.argsort(-s, kind="stable")[:K]
        h = len(set(items[top]) & n)
        hits_any += h > 0; prec += h / K; rec += h / len(n)
    m = len(new)
    print(f"{name:12s} hit_rate@{K} {hits_any/m:.4f} precision@{K} {prec/m:.4f} recall@{K} {rec/m:.4f}")

pop = np.asarray(X.sum(axis=0)).ravel()
evaluate("popularity", lambda u: pop)
if "--no-cosine" not in sys.argv:
  norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=0)).ravel())
  C = (X.T @ X).toarray() / np.outer(norms, norms).clip(1e-12)
  np.fill_diagonal(C, 0)
  evaluate("cosine", lambda u: np.asarray(X[u] @ C).ravel())
t = time.time()
G = (X.T @ X).toarray()
G[np.diag_indices_from(G)] += lam
P = np.linalg.inv(G)
B = -P / np.diag(P)
np.fill_diagonal(B, 0)
print(f"EASE fit {time.time()-t:.1f} s")
evaluate("ease", lambda u: np.asarray(X[u] @ B).ravel())
