#!/usr/bin/env python3
"""Reference figures for `campaign-lens customers` on an order log, with pandas and lifetimes
(pip install pandas pyarrow lifetimes): the roll-up (customers, net revenue, orders), the dropped lines,
and BG/NBD + Gamma-Gamma fitted by `lifetimes` on the same definitions (distinct purchase days, times
in weeks = days / 7, as of the day after the last date, cancellations and returns left out of purchases).

    python3 bench/orders_reference.py ../shared/data/online_retail_II_2009-2010.parquet
"""
import sys
import time

import pandas as pd

path = sys.argv[1]
start = time.time()
df = pd.read_parquet(path)
df["day"] = pd.to_datetime(df["InvoiceDate"].str[:10])
df["amount"] = df["Quantity"] * df["Price"]
no_customer = int(df["Customer ID"].isna().sum())
d = df[df["Customer ID"].notna()].copy()
d["cancelled"] = d["Invoice"].astype(str).str.startswith("C")
d["returned"] = (d["Quantity"] < 0) & ~d["cancelled"]
buy = d[~d["cancelled"] & ~d["returned"] & (d["amount"] >= 0)]
as_of = d["day"].max() + pd.Timedelta(days=1)
net = d.groupby("Customer ID")["amount"].sum()
orders = buy.groupby("Customer ID")["Invoice"].nunique()
last = buy.groupby("Customer ID")["day"].max()
rfm_time = time.time() - start
print(f"lines {len(df)}, no customer {no_customer}, cancelled {int(d['cancelled'].sum())}, "
      f"returns {int(d['returned'].sum())}")
print(f"customers with a purchase {len(orders)}, net revenue of them {net[orders.index].sum():.2f}, "
      f"orders {int(orders.sum())}, as of {as_of.date()}  ({rfm_time:.2f} s)")

from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402

per_day = buy.groupby(["Customer ID", "day"])["amount"].sum().reset_index()
g = per_day.groupby("Customer ID")
first, lastd, n = g["day"].min(), g["day"].max(), g["day"].count()
summary = pd.DataFrame({
    "frequency": n - 1,
    "recency": (lastd - first).dt.days / 7.0,
    "T": (as_of - first).dt.days / 7.0,
})
per_day = per_day.merge(first.rename("first"), left_on="Customer ID", right_index=True)
repeat = per_day[per_day["day"] > per_day["first"]]
summary["monetary_value"] = repeat.groupby("Customer ID")["amount"].mean().reindex(summary.index).fillna(0.0)
bg = BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])
print("BG/NBD", {k: round(v, 6) for k, v in bg.params_.items()}, "log-likelihood",
      round(-bg._negative_log_likelihood_ * len(summary), 3) if hasattr(bg, "_negative_log_likelihood_") else "")
rep = summary[summary["frequency"] > 0]
gg = GammaGammaFitter(penalizer_coef=0.0).fit(rep["frequency"], rep["monetary_value"])
print("Gamma-Gamma", {k: round(v, 6) for k, v in gg.params_.items()})
print("corr(frequency, monetary)", round(rep[["frequency", "monetary_value"]].corr().iloc[0, 1], 4))
print("P(alive) of the first three customers", bg.conditional_probability_alive(
    summary["frequency"][:3], summary["recency"][:3], summary["T"][:3]).round(6).tolist())
print("expected purchases in 52 weeks, first three", bg.conditional_expected_number_of_purchases_up_to_time(
    365 / 7, summary["frequency"][:3], summary["recency"][:3], summary["T"][:3]).round(6).tolist())
