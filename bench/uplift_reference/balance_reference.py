"""Reference figures for the tests in src/analysis/uplift/balance.rs (numpy, ddof=1 variances)."""
import numpy as np

from gen import cuped_rows

np.set_printoptions(legacy="1.25")


def smd(t, c):
    t, c = np.asarray(t), np.asarray(c)
    return (t.mean() - c.mean()) / np.sqrt((t.var(ddof=1) + c.var(ddof=1)) / 2)


arm, _, x1, x2 = cuped_rows(600, 7)
arm, x1, x2 = np.array(arm), np.array(x1), np.array(x2)
for name, x in [("x1", x1), ("x2", x2)]:
    for k in (1, 2):
        print(name, "arm", k, "smd", repr(smd(x[arm == k], x[arm == 0])),
              "means", repr(x[arm == k].mean()), repr(x[arm == 0].mean()))
# an imbalanced inline case
c = [3.0, 4.0, 5.0, 6.0, 2.5, 4.5]
t = [4.0, 5.5, 6.0, 7.0, 5.0]
print("inline smd", repr(smd(t, c)))
