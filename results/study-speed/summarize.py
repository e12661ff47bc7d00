#!/usr/bin/env python3
"""Per run dir: median/mean epoch seconds (epochs >= 2), cell train_seconds, and a hash of the result files minus timing columns."""
import csv, glob, hashlib, statistics, sys, os
for d in sys.argv[1:]:
    for ds in sorted(glob.glob(d + "/*/cells.csv")):
        rows = list(csv.DictReader(open(ds)))
        base = os.path.dirname(ds)
        for r in rows:
            hist = list(csv.DictReader(open(f"{base}/history/{r['variant']}__s{r['seed']}.csv")))
            secs = [float(h["seconds"]) for h in hist]
            h = hashlib.sha256()
            for x in hist:
                h.update((x["epoch"] + x["nll"] + x["kl"] + x["beta"] + x["validation_ndcg100"]).encode())
            for f in sorted(glob.glob(f"{base}/users/{r['variant']}__s{r['seed']}*")) + sorted(glob.glob(f"{base}/latent/{r['variant']}__s{r['seed']}*")):
                h.update(open(f, "rb").read())
            keep = {k: v for k, v in r.items() if k != "train_seconds"}
            h.update(repr(sorted(keep.items())).encode())
            print(f"{d:40s} {r['variant']:10s} s{r['seed']} ep1 {secs[0]:6.2f}s  median(ep>=2) {statistics.median(secs[1:]):6.3f}s mean {statistics.mean(secs[1:]):6.3f}s  cell {float(r['train_seconds']):7.1f}s  ndcg {r['ndcg100']} val {r['validation_ndcg100']} hash {h.hexdigest()[:16]}")
