"""EDLAE on a split exported by `sparsecf data split`, written from Steck (2020) without any of sparsecf's code:
validation and test NDCG@100 over a grid of L2 weight (lambda) x dropout odds q = p / (1 - p), with
Lambda = q diag(X^T X) + lambda I (lambda only, q = 0, is EASE). A fourth argument "dlae L2 Q" prints DLAE at one pair.

    python3 numpy_grid.py SPLIT_DIR [dlae L2 Q]
"""
import sys, numpy as np
d = sys.argv[1]
items = [l.strip() for l in open(f"{d}/items.txt")]
idx = {it: i for i, it in enumerate(items)}
n = len(items)
def mat(path, users_path):
    users = [l.strip() for l in open(users_path)]
    row = {u: i for i, u in enumerate(users)}
    X = np.zeros((len(users), n), dtype=np.float64)
    for l in open(path):
        u, it = l.split()
        X[row[u], idx[it]] = 1
    return X
Xtr = mat(f"{d}/train.txt", f"{d}/train_users.txt")
sets = {s: (mat(f"{d}/{s}_fold_in.txt", f"{d}/{s}_users.txt"), mat(f"{d}/{s}_eval.txt", f"{d}/{s}_users.txt")) for s in ("validation", "test")}
G = Xtr.T @ Xtr
g = np.diag(G).copy()
disc = 1 / np.log2(np.arange(2, 102))
def ndcg(B, s):
    Xin, Xev = sets[s]
    S = Xin @ B
    S[Xin > 0] = -np.inf
    top = np.argpartition(-S, 100, axis=1)[:, :100]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(S, top, 1), 1), 1)
    hits = np.take_along_axis(Xev, top, 1)
    k = np.minimum(Xev.sum(1), 100).astype(int)
    ok = k > 0
    idcg = np.array([disc[:m].sum() for m in k])
    return ((hits @ disc)[ok] / idcg[ok]).mean()
def edlae(q, lam, zero_diag=True):
    P = np.linalg.inv(G + np.diag(q * np.maximum(g, 1) + lam))
    if zero_diag:
        B = -P / np.diag(P)
        np.fill_diagonal(B, 0)
    else:
        B = np.eye(n) - P * (q * np.maximum(g, 1) + lam)[None, :]
    return B
if len(sys.argv) == 5 and sys.argv[2] == "dlae":
    B = edlae(float(sys.argv[4]), float(sys.argv[3]), zero_diag=False)
    print(f"DLAE lambda {sys.argv[3]} q {sys.argv[4]}: val {ndcg(B,'validation'):.4f} test {ndcg(B,'test'):.4f}")
    sys.exit()
for lam in [0, 10, 50, 100, 200, 500]:
    for q in [0, 0.25, 0.5, 1, 2, 4, 8]:
        if lam == 0 and q == 0: continue
        B = edlae(q, lam)
        print(f"EDLAE lambda {lam:5} q {q:5}: val {ndcg(B,'validation'):.4f} test {ndcg(B,'test'):.4f}", flush=True)
