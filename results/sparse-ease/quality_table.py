#!/usr/bin/env python3
"""The quality table of neighbourhood EASE from quality/*.json (written by quality.sh), into README.md between the
markers <!-- quality-table:start --> and <!-- quality-table:end -->. Usage: python3 quality_table.py [--print]"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = ["ml-1m", "citeulike-a", "citeulike-t", "lastfm", "amazon-book"]
KS = ["dense", "50", "100", "250", "500", "1000"]
# the jar of the cells run before sparse-perf's faster solves and Gram cap were merged (34e43ce); later cells: "merged"
PRE_SPEEDUP_JAR = "sparsecf-6cafc97edfc0.jar"
START, END = "<!-- quality-table:start -->", "<!-- quality-table:end -->"


def seconds(fit, label):
    m = re.search(re.escape(label) + r" ([0-9.]+) s", fit)
    return float(m.group(1)) if m else None


def gnn(c, k):
    """Where G_NN is exact: the sparse Gram line's cap note (the code before the cap had none: always exact)."""
    if k == "dense":
        return "-"
    m = re.search(r"([0-9,]+) rows capped at their top M = ([0-9,]+)", c["cell"].get("gram") or "")
    return f"{m.group(1)} rows capped at top {m.group(2)}" if m else "exact"


def num(x, fmt):
    return "" if x is None else format(x, fmt)


def table(cells):
    out = ["| dataset (train users x items) | K | lambda | test NDCG@100 (diff to dense) | test Recall@20 (diff to dense)"
           " | validation NDCG@100 | sparse Gram + neighbours (s) | solves / inverse per fit (s) | `train` wall (m:s)"
           " | peak RSS (GB) | G_NN | code |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    missing = []
    for data in DATASETS:
        dense = cells.get((data, "dense"))
        for k in KS:
            c = cells.get((data, k))
            if c is None:
                missing.append(f"{data} K={k}")
                continue
            s = c["split"]
            name = f"{data} ({s['trainUsers']:,} x {s['items']:,})"
            ndcg, rec = c["test"]["NDCG@100"], c["test"]["Recall@20"]

            def diff(metric):
                if dense is None or k == "dense":
                    return ""
                return f" {c['test'][metric]['mean'] - dense['test'][metric]['mean']:+.4f}"
            fit = c["fit"]
            gram = seconds(fit, "sparse Gram + neighbours")
            solve = seconds(fit, "solves") if k != "dense" else seconds(fit, "factorise+invert")
            wall = c["cell"]["wallSeconds"]
            searched = len(c.get("candidates", []))
            lam = f"{c['lambda']:g}" + ("" if searched > 1 else " (given)") + (" (edge)" if c.get("lambdaAtEdge") else "")
            kk = k if k == "dense" else f"{c['neighbours']:,}" + ("" if str(c["neighbours"]) == k else f" (asked {k})")
            out.append(f"| {name} | {kk} | {lam} | {ndcg['mean']:.4f} ± {ndcg['stderr']:.4f}{diff('NDCG@100')}"
                       f" | {rec['mean']:.4f} ± {rec['stderr']:.4f}{diff('Recall@20')}"
                       f" | {c['validation']['NDCG@100']['mean']:.4f} | {num(gram, '.2f') or '-'} | {num(solve, '.2f')}"
                       f" | {int(wall // 60)}:{wall % 60:05.2f} | {c['cell']['maxRssKB'] / 1e6:.2f} | {gnn(c, k)}"
                       f" | {'pre' if c['cell'].get('jar', PRE_SPEEDUP_JAR) == PRE_SPEEDUP_JAR else 'merged'} |")
    text = "\n".join(out) + "\n"
    if missing:
        text += "\nNot run yet: " + ", ".join(missing) + ".\n"
    return text


def main():
    cells = {}
    for f in glob.glob(os.path.join(HERE, "quality", "*.json")):
        c = json.load(open(f))
        data = os.path.basename(f)[:-5].rsplit("-", 1)[0]
        cells[(data, c["cell"]["K"])] = c
    text = table(cells)
    if "--print" in sys.argv:
        print(text)
        return
    readme = os.path.join(HERE, "README.md")
    md = open(readme).read()
    a, b = md.index(START) + len(START), md.index(END)
    tmp = readme + ".tmp"
    with open(tmp, "w") as f:
        f.write(md[:a] + "\n" + text + md[b:])
    os.replace(tmp, readme)


if __name__ == "__main__":
    main()
