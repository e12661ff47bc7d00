"""EASE by NumPy/SciPy with a Cholesky inverse, as sparsecf fits it: G = X^T X (sparse) made dense, lambda on the
diagonal, LAPACK dpotrf + dpotri in place (scipy.linalg.lapack, the OpenBLAS NumPy/SciPy ship), B = -P / diag(P).

Run: python3 bench/peers/ease_numpy.py --split DIR --lambda 500 --json OUT.json (DIR from `sparsecf data split`).
"""
import numpy as np
from scipy.linalg import lapack

import easepeer


def fit(x, lam, phases):
    n = x.shape[1]
    phases.start("gram")
    g = easepeer.gram(x, lam)
    phases.start("invert")
    # g is C-ordered and symmetric: its transpose is the same matrix in Fortran order, so LAPACK works in place
    f = g.T
    c, info = lapack.dpotrf(f, lower=0, clean=0, overwrite_a=1)
    if info != 0:
        raise SystemExit(f"dpotrf failed: info = {info}")
    p, info = lapack.dpotri(c, lower=0, overwrite_c=1)
    if info != 0:
        raise SystemExit(f"dpotri failed: info = {info}")
    phases.start("finish")
    # the Fortran upper triangle is g's lower triangle: mirror it up, one block of rows at a time
    g = p.T
    step = 1024
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        d = g[r0:r1, r0:r1]
        d[:] = np.tril(d) + np.tril(d, -1).T
        g[r0:r1, r1:] = g[r1:, r0:r1].T
    b = easepeer.weights_float32(g)
    return b


if __name__ == "__main__":
    easepeer.main("numpy-cholesky", fit)
