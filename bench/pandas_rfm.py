#!/usr/bin/env python3
"""The anchor for `campaign-lens customers`: a plain RFM groupby in pandas (read, total per line, recency,
frequency and monetary per customer), timed as a whole command.

    python3 bench/pandas_rfm.py FILE.csv|FILE.parquet
"""
import sys

import pandas as pd

path = sys.argv[1]
df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"])
df["amount"] = df["Quantity"] * df["Price"]
df = df.dropna(subset=["Customer ID"])
as_of = df["InvoiceDate"].max() + pd.Timedelta(days=1)
rfm = df.groupby("Customer ID").agg(
    recency=("InvoiceDate", lambda d: (as_of - d.max()).days),
    frequency=("Invoice", "nunique"),
    monetary=("amount", "sum"),
)
print(len(rfm), "customers")
