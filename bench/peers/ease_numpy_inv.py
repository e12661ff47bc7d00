"""EASE as RecBole and Steck's notebook fit it: G = X^T X made dense, lambda on the diagonal, P = np.linalg.inv(G)
(LU, general inverse), B = -P / diag(P).

Run: python3 bench/peers/ease_numpy_inv.py --split DIR --lambda 500 --json OUT.json (DIR from `sparsecf data split`).
"""
import numpy as np

import easepeer


def fit(x, lam, phases):
    phases.start("gram")
    g = easepeer.gram(x, lam)
    phases.start("invert")
    p = np.linalg.inv(g)
    phases.start("finish")
    return easepeer.weights_float32(p)


if __name__ == "__main__":
    easepeer.main("numpy-inv", fit)
