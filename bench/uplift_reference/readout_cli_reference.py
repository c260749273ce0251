"""Reference figures for tests/uplift.rs: the readout of `campaign-lens sample --test --rows 6000 --seed 5`
computed with statsmodels (two-proportion z-test, Wald interval) and scipy (Welch).
usage: python3 readout_cli_reference.py FILE"""
import sys
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest, confint_proportions_2indep

df = pd.read_csv(sys.argv[1])
c = df[df.segment == "No E-Mail"]
for arm in ["Mens E-Mail", "Womens E-Mail"]:
    t = df[df.segment == arm]
    for o in ["conversion", "visit"]:
        z, p = proportions_ztest([t[o].sum(), c[o].sum()], [len(t), len(c)])
        lo, hi = confint_proportions_2indep(t[o].sum(), len(t), c[o].sum(), len(c), method="wald")
        print(arm, o, "lift", t[o].mean() - c[o].mean(), "z", z, "p", p, "ci", lo, hi)
    r = stats.ttest_ind(t.spend, c.spend, equal_var=False)
    ci = r.confidence_interval(0.95)
    print(arm, "spend", "lift", t.spend.mean() - c.spend.mean(), "t", r.statistic, "p", r.pvalue, "ci", ci.low, ci.high)
print("srm", stats.chisquare(df.segment.value_counts().values))
