"""Reference figures for the tests in src/analysis/uplift/srm.rs (scipy 1.17)."""
from scipy.stats import chisquare

print("equal", chisquare([5_120, 4_880]))
print("planned 2:1:1", chisquare([5_300, 2_400, 2_300], f_exp=[5_000, 2_500, 2_500]))
print("empty arm", chisquare([40, 0]))
