"""Reference figures for the tests in src/analysis/uplift/power.rs (scipy 1.17, statsmodels 0.15).

The implemented formula (unpooled variance under the alternative, pooled under the null):
    n = (z_{1-a/2} sqrt(2 pbar (1 - pbar)) + z_{1-b} sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / mde^2
statsmodels' NormalIndPower with proportion_effectsize uses Cohen's h = 2 asin(sqrt p2) - 2 asin(sqrt p1)
instead, giving a slightly different n; printed here for comparison only.
"""
import math

from scipy.stats import norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize


def hand(p1, mde, alpha, power):
    p2 = p1 + mde
    pbar = (p1 + p2) / 2
    za, zb = norm.ppf(1 - alpha / 2), norm.ppf(power)
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde**2
    return n, math.ceil(n)


import numpy as np
np.set_printoptions(legacy="1.25")

for case in [(0.10, 0.01, 0.05, 0.8), (0.05, 0.005, 0.05, 0.9), (0.30, -0.03, 0.01, 0.8),
             (0.02, 0.002, 0.10, 0.8), (0.5, 0.1, 0.05, 0.5)]:
    n, ceil = hand(*case)
    print(case, "hand n", repr(n), "ceil", ceil)

h = proportion_effectsize(0.11, 0.10)
sm = NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided")
print("statsmodels Cohen's h for 0.10 -> 0.11:", repr(h), "n", repr(sm), "ceil", math.ceil(sm))
