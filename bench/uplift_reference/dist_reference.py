"""Reference values for src/analysis/stats/dist/tests.rs (scipy 1.17).

Run: python3 reference/dist_reference.py  -- prints Rust array literals pasted into the tests.
"""
import mpmath
from scipy import special, stats


def rust(name, rows):
    print(f"// {name}")
    print("&[")
    for row in rows:
        print("    (" + ", ".join(repr(float(v)) for v in row) + "),")
    print("]")


xs = [-38.0, -10.0, -5.0, -1.96, -1.0, -0.3, 0.0, 0.5, 1.2, 3.0, 8.5]
rust("scipy.stats.norm.cdf(x)", [(x, stats.norm.cdf(x)) for x in xs])
rust("scipy.stats.norm.sf(x)", [(x, stats.norm.sf(x)) for x in [2.0, 5.0, 10.0, 20.0, 37.5]])
ps = [1e-300, 1e-20, 1e-10, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999999, 1 - 1e-12]
rust("scipy.stats.norm.ppf(p)", [(p, stats.norm.ppf(p)) for p in ps])
tdf = [(-3.0, 1.0), (0.5, 1.0), (2.0, 2.5), (-1.7, 7.3), (1.96, 30.0), (4.0, 12.0), (2.2, 1e4),
       (-3.1, 1e6), (0.1, 0.7), (40.0, 3.0), (-8.0, 5.0), (1e-3, 50.0), (-25.0, 200.0)]
rust("scipy.stats.t.cdf(t, df)", [(t, df, stats.t.cdf(t, df)) for t, df in tdf])
rust("scipy.stats.t.sf(t, df)", [(t, df, stats.t.sf(t, df))
                                 for t, df in [(12.0, 20.0), (40.0, 3.0), (6.0, 1e5), (30.0, 1e6), (1.0, 1.0)]])
tq = [(0.975, 1.0), (0.975, 2.0), (0.975, 2.5), (0.975, 7.3), (0.975, 30.0), (0.975, 1e3), (0.975, 1e6),
      (1e-8, 3.0), (0.4, 5.0), (0.999, 1.5), (0.01, 0.5), (1e-12, 1.0), (0.95, 123.456)]
rust("scipy.stats.t.ppf(p, df)", [(p, df, stats.t.ppf(p, df)) for p, df in tq])
cq = [(0.5, 1.0), (3.84, 1.0), (10.0, 3.0), (50.0, 4.0), (150.0, 9.0), (0.01, 2.0), (7.5, 7.0),
      (1e3, 10.0), (25.0, 0.5), (99.0, 100.0), (0.2, 30.0)]
rust("scipy.stats.chi2.sf(x, df)", [(x, df, stats.chi2.sf(x, df)) for x, df in cq])
gp = [(0.5, 0.1), (2.0, 1.5), (10.0, 12.0), (3.3, 0.7), (50.0, 40.0)]
rust("scipy.special.gammainc(a, x)", [(a, x, special.gammainc(a, x)) for a, x in gp])
rust("scipy.special.gammaincc(a, x)", [(a, x, special.gammaincc(a, x)) for a, x in gp])
bp = [(0.2, 2.0, 3.0), (0.9, 0.5, 0.5), (0.5, 10.0, 0.5), (0.01, 1.5, 20.0), (0.999, 300.0, 2.0)]
rust("scipy.special.betainc(a, b, x)", [(x, a, b, special.betainc(a, b, x)) for x, a, b in bp])
rust("scipy.special.gammaln(x)", [(x, special.gammaln(x)) for x in [1e-5, 0.5, 1.5, 3.5, 7.25, 20.0, 1e3]])

# Near p = 1/2 scipy's t.ppf is only good to ~1e-10 relative (it returns 2.569978033880817e-07 for
# p = 0.5000001, df = 10); mpmath at 40 digits solves I_y(1/2, df/2)/2 = p - 1/2, y = t^2/(df + t^2).
mpmath.mp.dps = 40


def t_ppf_centre(p, df):
    c = mpmath.mpf(p) - mpmath.mpf(0.5)
    f = lambda t: mpmath.betainc(0.5, df / 2, 0, t**2 / (df + t**2), regularized=True) / 2 - abs(c)
    root = mpmath.findroot(f, abs(float(stats.t.ppf(p, df))))
    return root if c > 0 else -root


rust("mpmath t quantile near 1/2 (see t_ppf_centre)",
     [(p, df, t_ppf_centre(p, df)) for p, df in [(0.5000001, 10.0), (0.5 + 1e-9, 3.5), (0.49, 1e5)]])
