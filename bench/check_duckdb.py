#!/usr/bin/env python3
"""The DuckDB dialect against DuckDB itself (pip install duckdb pandas): score a file with saved models
through `campaign-lens score`, run `campaign-lens sql --dialect duckdb` on the same file loaded by DuckDB's
own CSV reader (which makes Yes/No columns BOOLEAN and a numeric column with blanks VARCHAR), and compare.

    python3 bench/check_duckdb.py FILE MODEL.json [MODEL.json ...] [--bin target/release/campaign-lens]
"""
import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("models", nargs="+")
ap.add_argument("--bin", default="target/release/campaign-lens")
ap.add_argument("--date-format", default=None, help="strftime format of the file's dates, e.g. %%d-%%m-%%Y")
a = ap.parse_args()

with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "scores.csv"
    subprocess.run([a.bin, "score", *a.models, a.file, "--out", str(out)], check=True)
    sql = subprocess.run(
        [a.bin, "sql", *a.models, "--dialect", "duckdb", "--table", "scored"],
        check=True, capture_output=True, text=True,
    ).stdout
    want = pd.read_csv(out, keep_default_na=False, na_values=[""])

db = duckdb.connect()
opts = f", dateformat='{a.date_format}'" if a.date_format else ""
db.execute(f"CREATE TABLE scored AS SELECT * FROM read_csv('{a.file}'{opts})")
types = {name: kind for name, kind, *_ in db.execute("DESCRIBE scored").fetchall()}
print("DuckDB read:", ", ".join(f"{n} {t}" for n, t in types.items() if t in ("BOOLEAN", "DATE", "VARCHAR")))
start = time.time()
got = db.execute(sql).df()
print(f"{len(got):,} rows in {time.time() - start:.2f} s ({len(sql) / 1024:.0f} KB of SQL)")
key = want.columns[0]
if key == "row":  # no ID column: rows numbered in scan order, which DuckDB keeps for a CSV it loaded
    got = got.sort_values("row").reset_index(drop=True)
merged = got.merge(want, on=key, suffixes=("_sql", "_score"))
assert len(merged) == len(want) == len(got), (len(merged), len(want), len(got))
for col in want.columns[1:]:
    a_, b_ = merged[col + "_sql"], merged[col + "_score"]
    if col.startswith("score_"):
        print(f"{col}: largest difference {(a_ - b_).abs().max():.1e}")
        assert (a_ - b_).abs().max() <= 1e-9
    else:
        if col == "cluster":  # NULL (unassigned) makes pandas read the column as float
            a_, b_ = a_.fillna(-1).astype(int), b_.fillna(-1).astype(int)
        diff = (a_.fillna("").astype(str) != b_.fillna("").astype(str)).sum()
        print(f"{col}: {diff} rows differ")
        assert diff == 0
