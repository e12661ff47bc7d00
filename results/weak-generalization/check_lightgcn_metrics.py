"""Independent check of sparsecf's weak-generalization numbers: EASE in float64 NumPy and Recall@K / NDCG@K written
as LightGCN's code (utils.RecallPrecision_ATk, utils.NDCGatK_r) computes them.

usage: python3 check_lightgcn_metrics.py TRAIN TEST VALIDATION LAMBDA [metrics.json]
Files are adjacency lists ('user item item ...'); every test item must be a training item (as in LightGCN's data).
"""
import json
import sys

import numpy as np


def read(path):
    rows = {}
    for line in open(path):
        f = line.split()
        if f:
            rows[f[0]] = f[1:]
    return rows


train, test, valid = (read(p) for p in sys.argv[1:4])
lam = float(sys.argv[4])
items = sorted({i for r in train.values() for i in r})
col = {i: c for c, i in enumerate(items)}
users = sorted(train)
X = np.zeros((len(users), len(items)))
for u, r in enumerate(users):
    X[u, [col[i] for i in train[r]]] = 1
G = X.T @ X + lam * np.eye(len(items))
P = np.linalg.inv(G)
B = -P / np.diag(P)
np.fill_diagonal(B, 0)
scores = X @ B
K = 20
recall, ndcg, n = 0.0, 0.0, 0
for u, r in enumerate(users):
    truth = [i for i in test.get(r, [])]
    if not truth:
        continue  # LightGCN's testDict holds only users with test items
    s = scores[u].copy()
    s[[col[i] for i in train[r]]] = -np.inf  # training items, then validation items, are never ranked
    s[[col[i] for i in valid.get(r, []) if i in col]] = -np.inf
    top = np.argsort(-s, kind="stable")[:K]
    hit = np.array([items[c] in set(truth) for c in top], dtype=float)
    recall += hit.sum() / len(truth)  # RecallPrecision_ATk: right_pred / len(test_data[i])
    length = min(K, len(truth))  # NDCGatK_r: test_matrix[i, :length] = 1
    idcg = np.sum(1.0 / np.log2(np.arange(2, length + 2)))
    dcg = np.sum(hit / np.log2(np.arange(2, K + 2)))
    ndcg += dcg / idcg
    n += 1
print(f"users {n}  Recall@{K} {recall / n:.6f}  NDCG@{K} {ndcg / n:.6f}")
if len(sys.argv) > 5:
    m = json.load(open(sys.argv[5]))["test"]
    print(f"sparsecf    FullRecall@{K} {m[f'FullRecall@{K}']['mean']:.6f}  NDCG@{K} {m[f'NDCG@{K}']['mean']:.6f}"
          f"  (n = {m['users']})")
