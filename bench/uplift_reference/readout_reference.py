"""Reference figures for src/analysis/uplift/readout/tests.rs (statsmodels 0.15, scipy 1.17).

Run: python3 reference/readout_reference.py
"""
import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from gen import cuped_rows

np.set_printoptions(legacy="1.25")  # print numpy scalars as plain numbers

print("== binary: control 87/1000, email 112/1000, sms 70/800")
for name, x, n in [("email", 112, 1000), ("sms", 70, 800)]:
    z, p = proportions_ztest([x, 87], [n, 1000])
    lo, hi = confint_proportions_2indep(x, n, 87, 1000, method="wald", compare="diff", alpha=0.05)
    lift = x / n - 87 / 1000
    print(f"{name}: z={z!r} p={p!r} ci=({lo!r}, {hi!r}) lift={lift!r} rel={lift / 0.087!r} "
          f"incremental={lift * n!r}")

control = [12.5, 0.0, 33.2, 8.75, 19.9, 0.0, 41.0, 15.25, 22.1, 5.5, 27.8, 9.99]
treated_a = [18.0, 25.5, 0.0, 44.1, 30.25, 12.0, 51.3, 21.7, 16.6, 38.4, 0.0, 29.9, 35.0, 23.45, 19.8]
treated_b = [14.2, 7.7, 26.0, 3.3, 18.8, 31.1, 11.4, 22.9, 9.0]
print("== continuous inline: control/a/b")
for name, t in [("a", treated_a), ("b", treated_b)]:
    r = stats.ttest_ind(t, control, equal_var=False)
    ci = r.confidence_interval(0.95)
    lift = np.mean(t) - np.mean(control)
    print(f"{name}: t={r.statistic!r} p={r.pvalue!r} df={r.df!r} ci=({ci.low!r}, {ci.high!r}) "
          f"lift={lift!r} rel={lift / np.mean(control)!r} incremental={lift * len(t)!r}")
print(f"means: c={np.mean(control)!r} a={np.mean(treated_a)!r} b={np.mean(treated_b)!r}")
print(f"std: c={np.std(control, ddof=1)!r}")

print("== generated: cuped_rows(600, seed=7), outcome only")
arm, y, _, _ = cuped_rows(600, 7)
arm, y = np.array(arm), np.array(y)
print("rows", [int((arm == k).sum()) for k in range(3)], "means", [repr(y[arm == k].mean()) for k in range(3)])
for k in (1, 2):
    r = stats.ttest_ind(y[arm == k], y[arm == 0], equal_var=False)
    ci = r.confidence_interval(0.95)
    print(f"arm {k}: t={r.statistic!r} p={r.pvalue!r} df={r.df!r} ci=({ci.low!r}, {ci.high!r})")
