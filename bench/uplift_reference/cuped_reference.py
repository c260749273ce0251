"""Reference figures for src/analysis/uplift/cuped.rs tests (numpy 2.4, scipy 1.17, statsmodels 0.15).

CUPED per treated arm k: pool the rows of the control (arm 0) and arm k, theta = OLS slope(s) of the
outcome on the centred covariates (numpy lstsq, cross-checked against statsmodels OLS with an
intercept), adjusted = y - (X - mean X) @ theta, then Welch on adjusted vs unadjusted.
"""
import numpy as np
import statsmodels.api as sm
from scipy import stats

from gen import cuped_rows

np.set_printoptions(legacy="1.25")

arm, y, x1, x2 = (np.array(v) for v in cuped_rows(600, 7))


def welch(t, c):
    r = stats.ttest_ind(t, c, equal_var=False)
    ci = r.confidence_interval(0.95)
    return r, ci


for label, cols in [("x1 only", [x1]), ("x1 and x2", [x1, x2])]:
    print("==", label)
    for k in (1, 2):
        mask = (arm == 0) | (arm == k)
        X = np.column_stack([c[mask] for c in cols])
        yy = y[mask]
        Xc = X - X.mean(axis=0)
        theta = np.linalg.lstsq(Xc, yy - yy.mean(), rcond=None)[0]
        ols = sm.OLS(yy, sm.add_constant(X)).fit().params[1:]
        assert np.allclose(theta, ols, rtol=1e-12, atol=0), (theta, ols)
        adj = yy - Xc @ theta
        treated = arm[mask] == k
        r0, ci0 = welch(yy[treated], yy[~treated])
        r1, ci1 = welch(adj[treated], adj[~treated])
        print(f"arm {k}: theta={list(theta)!r}")
        print(f"  adjusted: lift={adj[treated].mean() - adj[~treated].mean()!r} t={r1.statistic!r} "
              f"p={r1.pvalue!r} df={r1.df!r} ci=({ci1.low!r}, {ci1.high!r})")
        print(f"  unadjusted: ci=({ci0.low!r}, {ci0.high!r}) p={r0.pvalue!r}")
        print(f"  ci_width_ratio={(ci1.high - ci1.low) / (ci0.high - ci0.low)!r} "
              f"variance_reduction={1 - adj.var(ddof=1) / yy.var(ddof=1)!r}")
