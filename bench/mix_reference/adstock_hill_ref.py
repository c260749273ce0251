"""Independent numpy reference for analysis::mix::transform (run: python3 adstock_hill_ref.py).

Geometric adstock as in PyMC-Marketing's geometric_adstock: a convolution of the spend with the weights
theta**l, l = 0..L, truncated to the series length (normalize=False is Robyn's unnormalised form,
normalize=True divides the weights by their sum). Hill: x**a / (x**a + g**a).
"""
import numpy as np


def geometric_adstock(x, theta, l_max, normalize=False):
    w = theta ** np.arange(l_max + 1)
    if normalize:
        w = w / w.sum()
    return np.convolve(np.asarray(x, float), w)[: len(x)]


def hill(x, alpha, gamma):
    x = np.asarray(x, float)
    return x**alpha / (x**alpha + gamma**alpha)


if __name__ == "__main__":
    np.set_printoptions(precision=12)
    x = [100, 0, 50, 0, 0, 80, 20, 0]
    print("case 1 adstock(theta=0.7, L=3):", repr(geometric_adstock(x, 0.7, 3)))
    a = geometric_adstock(x, 0.7, 3, normalize=True)
    print("case 1 normalised / max:", repr(a / a.max()))
    print("case 2 hill(0.3, 1.7, 0.55): %.12f" % hill(0.3, 1.7, 0.55))
    # case 3: the sum of Hill over a scaled adstocked series, alpha = 2.2, gamma = 0.35
    z = geometric_adstock(x, 0.4, 5)
    z = z / z.max()
    print("case 3 sum hill(adstock(theta=0.4, L=5)/max, 2.2, 0.35): %.12f" % hill(z, 2.2, 0.35).sum())
