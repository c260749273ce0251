"""Deterministic test data shared with the Rust tests (src/analysis/uplift/tests.rs has the same code).

splitmix64, uniforms from the top 53 bits, and only +, -, *, / and floor on top of them, so Python and
Rust produce bit-identical rows on any IEEE-754 platform (no libm calls).
"""
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        """In [0, 1): the top 53 bits times 2^-53 (exact)."""
        return (self.next_u64() >> 11) * 2.0**-53


def qini_rows(n, seed):
    """Rows for the uplift-curve tests: (converted 0/1, revenue, tied score, continuous score, treated).

    Five draws per row, always in this order. The tied score has 40 levels (k/40); the treated
    response rises with the score, so a model ranking by it has real uplift.
    """
    rng = SplitMix64(seed)
    conv, revenue, tied, score, treated = [], [], [], [], []
    for _ in range(n):
        u_t, u_s, u_x, u_y, u_r = (rng.uniform() for _ in range(5))
        t = u_t < 0.5
        s = u_s
        p = 0.1 + 0.1 * u_x + ((0.3 * s - 0.05) if t else 0.0)
        c = 1.0 if u_y < p else 0.0
        conv.append(c)
        revenue.append(c * (20.0 + 80.0 * u_r))
        tied.append(float(int(s * 40.0)) / 40.0)
        score.append(s)
        treated.append(t)
    return conv, revenue, tied, score, treated


def cuped_rows(n, seed):
    """Rows for the CUPED and Welch tests: (arm 0/1/2, outcome, pre-period x1, pre-period x2).

    Seven draws per row, in this order; x1 and x2 are sums of uniforms (no libm), correlated through a
    shared draw, and the outcome depends on both plus noise and an arm effect (+1.5 for arm 1, +0.4
    for arm 2).
    """
    rng = SplitMix64(seed)
    arm, y, x1, x2 = [], [], [], []
    for _ in range(n):
        u = [rng.uniform() for _ in range(7)]
        a = 0 if u[0] < 0.4 else (1 if u[0] < 0.7 else 2)
        shared = u[1] + u[2]
        v1 = 10.0 * (shared + u[3])
        v2 = 4.0 * (shared + u[4]) + 2.0 * u[3]
        noise = 6.0 * (u[5] + u[6] - 1.0)
        effect = 1.5 if a == 1 else (0.4 if a == 2 else 0.0)
        arm.append(a)
        y.append(3.0 + 0.8 * v1 + 0.5 * v2 + noise + effect)
        x1.append(v1)
        x2.append(v2)
    return arm, y, x1, x2
