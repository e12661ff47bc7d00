"""Shared parts of the EASE peers: read a split exported by `sparsecf data split`, score, NDCG@100, phase timer.

The split's README (written by the export) defines the files: items.txt (item index = 0-based line number),
*_users.txt (row order), and `user item` pair files. Scores follow sparsecf's EaseModel: B rounded to float32,
S = X_u B in float32 (clicks summed in item order), fold-in items excluded, ties to the lower item index.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import scipy.sparse as sp

K = 100


def read_ids(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def read_pairs(path, users, items):
    """The pairs file as a binary CSR matrix (rows in `users` order, columns in `items` order)."""
    row_of = {u: i for i, u in enumerate(users)}
    rows, cols = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            u, i = line.split()
            rows.append(row_of[u])
            cols.append(items[i])
    x = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(users), len(items)))
    x.sort_indices()
    return x


def read_split(split_dir):
    """(X_train, validation fold-in, validation eval) as CSR matrices over the split's items."""
    item_ids = read_ids(os.path.join(split_dir, "items.txt"))
    items = {it: j for j, it in enumerate(item_ids)}
    train = read_pairs(os.path.join(split_dir, "train.txt"), read_ids(os.path.join(split_dir, "train_users.txt")), items)
    vusers = read_ids(os.path.join(split_dir, "validation_users.txt"))
    fold_in = read_pairs(os.path.join(split_dir, "validation_fold_in.txt"), vusers, items)
    evals = read_pairs(os.path.join(split_dir, "validation_eval.txt"), vusers, items)
    return train, fold_in, evals


def gram(x, lam):
    """G = X^T X + lambda I as a dense float64 array (the sparse product, then toarray(): NumPy allocates here)."""
    g = (x.T @ x).toarray().astype(np.float64, copy=False)
    g[np.diag_indices(g.shape[0])] += lam
    return g


def weights_float32(p):
    """B = -P / diag(P) with a zero diagonal, as sparsecf writes it: P_ij * (-1 / P_jj) in double, rounded to float32."""
    scale = -1.0 / np.diag(p).copy()
    b = np.empty(p.shape, dtype=np.float32)
    step = 1024
    for r0 in range(0, p.shape[0], step):
        np.multiply(p[r0:r0 + step], scale[None, :], out=b[r0:r0 + step], casting="same_kind")
    np.fill_diagonal(b, 0)
    return b


def ndcg_at_k(b, fold_in, evals, k=K):
    """Mean NDCG@k over users with evaluation items, scoring in batches of 1,000 users."""
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    total, users = 0.0, 0
    for r0 in range(0, fold_in.shape[0], 1000):
        x = fold_in[r0:r0 + 1000]
        s = np.asarray(x @ b, dtype=np.float32)
        for t in range(s.shape[0]):
            row = s[t]
            seen = x.indices[x.indptr[t]:x.indptr[t + 1]]
            row[seen] = -np.inf
            truth = evals.indices[evals.indptr[r0 + t]:evals.indptr[r0 + t + 1]]
            if len(truth) == 0:
                continue
            top = np.argsort(-row, kind="stable")[:k]
            hits = np.isin(top, truth)
            dcg = float(np.sum(discounts[hits]))
            idcg = float(np.sum(discounts[:min(k, len(truth))]))
            total += dcg / idcg
            users += 1
    return total / users, users


class Phases:
    """Wall-clock seconds per named phase."""

    def __init__(self):
        self.seconds = {}
        self._name = None
        self._t = None

    def start(self, name):
        now = time.perf_counter()
        if self._name is not None:
            self.seconds[self._name] = now - self._t
        self._name, self._t = name, now

    def stop(self):
        self.start(None)
        self.seconds.pop(None, None)


def main(name, fit):
    """Command line of a peer: --split DIR --lambda L --json FILE; `fit(X, lambda, phases)` returns P or B."""
    ap = argparse.ArgumentParser(description=f"EASE peer ({name}) on a split exported by `sparsecf data split`")
    ap.add_argument("--split", required=True)
    ap.add_argument("--lambda", dest="lam", type=float, required=True)
    ap.add_argument("--json", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    train, fold_in, evals = read_split(a.split)
    load = time.perf_counter() - t0
    phases = Phases()
    b = fit(train, a.lam, phases)
    phases.stop()
    ndcg, users = ndcg_at_k(b, fold_in, evals)
    out = {"peer": name, "lambda": a.lam, "items": train.shape[1], "trainUsers": train.shape[0],
           "clicks": int(train.nnz), "loadSeconds": load, "phases": phases.seconds,
           "fitSeconds": sum(phases.seconds.values()), "validationNdcg@100": ndcg, "validationUsers": users,
           "numpy": np.__version__, "scipy": __import__("scipy").__version__, "python": sys.version.split()[0]}
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)
    print(f"{name}: fit {out['fitSeconds']:.2f} s {json.dumps({k: round(v, 2) for k, v in phases.seconds.items()})},"
          f" validation NDCG@100 {ndcg:.10f} ({users} users)")
    if not math.isfinite(ndcg):
        sys.exit(1)
