"""Runs EASE three ways on the same split and writes the ratio table: sparsecf (`train --model ease`), NumPy/SciPy
Cholesky (ease_numpy.py) and NumPy's general inverse (ease_numpy_inv.py, RecBole-style). Checks that all three saw
the same split (fingerprint) and that each peer's validation NDCG@100 equals sparsecf's to 1e-9.

Run from the repository root, e.g.
    bench/peers/run-ease --data ml-1m --lambda 500 --out results/ease-fit
    flock ../locks/bigmem flock ../locks/bench bench/peers/run-ease --data synthetic --lambda 500 --out results/ease-fit
Writes OUT/peers-DATA.md and OUT/peers-DATA.json; scratch files go to --work (default: a temporary directory).
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

TOLERANCE = 1e-9
HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = [("numpy-cholesky", "ease_numpy.py", "NumPy/SciPy: `X.T @ X`, `toarray`, `dpotrf` + `dpotri`, B = -P/diag"),
         ("numpy-inv", "ease_numpy_inv.py", "NumPy `np.linalg.inv` (RecBole-style)")]
PHASES = ["allocate", "gram", "invert", "finish"]


def run(cmd, log, env=None):
    print("$ " + " ".join(cmd), flush=True)
    with open(log, "w", encoding="utf-8") as f:
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}; see {log}")


def loadavg():
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def machine():
    cpu = platform.processor() or platform.machine()
    flags = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name") and cpu == platform.processor():
                    cpu = line.split(":", 1)[1].strip()
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    flags = " ".join(x for x in line.split(":", 1)[1].split() if x in ("avx2", "avx512f", "avx512_fp16", "amx_tile"))
                    break
    except OSError:
        pass
    mem = "n/a"
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            mem = f"{int(f.readline().split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    import numpy
    import scipy
    blas = "n/a"
    try:
        cfg = numpy.show_config(mode="dicts")
        b = cfg["Build Dependencies"]["blas"]
        blas = f"{b.get('name')} {b.get('version')}"
    except Exception:  # older NumPy has no dict mode
        pass
    return {"cpu": cpu, "cpuFlags": flags, "logicalCpus": os.cpu_count(), "memory": mem,
            "kernel": platform.release(), "python": platform.python_version(), "numpy": numpy.__version__,
            "scipy": scipy.__version__, "numpyBlas": blas,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "unset")}


def sparsecf_phases(metrics):
    """Phase seconds from metrics.json's fit line: 'allocate 0.04 s, Gram 0.05 s, factorise+invert 1.05 s, ...'."""
    fit = metrics["fit"]
    def seconds(label):
        m = re.search(re.escape(label) + r" ([0-9.]+) s", fit)
        return float(m.group(1)) if m else None
    return {"allocate": seconds("allocate"), "gram": seconds("Gram"), "invert": seconds("factorise+invert"),
            "finish": seconds("finish")}, seconds("total")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="dataset name as sparsecf takes it (ml-1m, synthetic, ...)")
    ap.add_argument("--lambda", dest="lam", default="500", help="the one L2 weight all three fit (default 500)")
    ap.add_argument("--blas", default="auto", help="sparsecf's --blas (auto, openblas, java)")
    ap.add_argument("--out", default="results/ease-fit", help="directory of the table (default results/ease-fit)")
    ap.add_argument("--work", default=None, help="scratch directory (default: a new temporary one)")
    ap.add_argument("--peer-coretype", default=None,
                    help="OPENBLAS_CORETYPE for the peers only (e.g. Haswell where SciPy's OpenBLAS crashes in dpotrf)")
    ap.add_argument("--note", default="", help="a sentence on the conditions, copied into the table")
    a = ap.parse_args()
    try:
        import numpy  # noqa: F401
        import scipy  # noqa: F401
    except ImportError as e:
        print(f"EASE peers skipped: {e.name} is not installed (Debian: apt-get install python3-numpy python3-scipy)")
        return 0
    work = a.work or tempfile.mkdtemp(prefix="sparsecf-peers-")
    os.makedirs(work, exist_ok=True)
    split = os.path.join(work, "split")
    env_note = machine()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    run(["./sparsecf", "data", "split", "--data", a.data, "--out", split, "--force"], os.path.join(work, "split.log"))
    with open(os.path.join(split, "SHA256SUMS"), "rb") as f:
        fingerprint = hashlib.sha256(f.read()).hexdigest()

    rows = []
    load = {"before": loadavg()}
    train_dir = os.path.join(work, "train")
    run(["./sparsecf", "train", "--model", "ease", "--data", a.data, "--lambda", a.lam, "--lambda-edge-steps", "0",
         "--blas", a.blas, "--out", train_dir, "--force"], os.path.join(work, "train.log"))
    with open(os.path.join(train_dir, "metrics.json"), encoding="utf-8") as f:
        metrics = json.load(f)
    if metrics["split"]["fingerprint"] != fingerprint:
        sys.exit(f"sparsecf trained on split {metrics['split']['fingerprint']}, the export is {fingerprint}")
    phases, total = sparsecf_phases(metrics)
    ours = metrics["validation"]["NDCG@100"]["mean"]
    rows.append({"what": f"sparsecf `train --model ease` ({metrics['dense']})", "phases": phases, "fitSeconds": total,
                 "validationNdcg@100": ours})
    peer_env = None if a.peer_coretype is None else dict(os.environ, OPENBLAS_CORETYPE=a.peer_coretype)
    for name, script, label in PEERS:
        out = os.path.join(work, name + ".json")
        run([sys.executable, os.path.join(HERE, script), "--split", split, "--lambda", a.lam, "--json", out],
            os.path.join(work, name + ".log"), peer_env)
        with open(out, encoding="utf-8") as f:
            r = json.load(f)
        p = dict(r["phases"])
        p["allocate"] = None  # inside toarray(), i.e. in gram
        rows.append({"what": label, "phases": p, "fitSeconds": r["fitSeconds"], "validationNdcg@100": r["validationNdcg@100"]})
    load["after"] = loadavg()

    ok = True
    for r in rows:
        r["ndcgDifference"] = abs(r["validationNdcg@100"] - ours)
        r["ndcgEqual"] = r["ndcgDifference"] <= TOLERANCE
        r["timeRatioToSparsecf"] = r["fitSeconds"] / total if total else None
        ok &= r["ndcgEqual"]
    result = {"date": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
              "commit": commit + (" (uncommitted changes)" if dirty else ""), "data": a.data, "lambda": float(a.lam),
              "splitFingerprint": fingerprint, "items": metrics["split"]["items"],
              "trainUsers": metrics["split"]["trainUsers"], "sparsecfThreads": metrics.get("threads"),
              "machine": env_note, "peerCoretype": a.peer_coretype, "loadAverage": load, "note": a.note, "rows": rows,
              "ndcgTolerance": TOLERANCE, "ndcgAllEqual": ok}
    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, "peers-" + a.data.replace(":", "-"))
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    with open(base + ".md", "w", encoding="utf-8") as f:
        f.write(markdown(result))
    print(markdown(result))
    print(f"wrote {base}.md and {base}.json")
    return 0 if ok else 1


def markdown(r):
    m = r["machine"]
    def s(v):
        return "-" if v is None else f"{v:.2f}"
    lines = [f"# EASE fit: sparsecf beside NumPy/SciPy on {r['data']}", "",
             f"Same split (fingerprint `{r['splitFingerprint'][:16]}...`, {r['trainUsers']:,} training users x "
             f"{r['items']:,} items), lambda {r['lambda']:g}, float64; one run each, one after another, by "
             "`bench/peers/run-ease`. Fit = the phases below; NumPy's allocation happens inside `toarray()` (its Gram).",
             "", "| what | allocate s | Gram s | factorise + invert s | finish (B) s | fit s | fit / sparsecf's "
             "| validation NDCG@100 | equal to 1e-9 |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in r["rows"]:
        p = row["phases"]
        lines.append(f"| {row['what']} | {s(p.get('allocate'))} | {s(p.get('gram'))} | {s(p.get('invert'))} | "
                     f"{s(p.get('finish'))} | {s(row['fitSeconds'])} | {row['timeRatioToSparsecf']:.2f} | "
                     f"{row['validationNdcg@100']:.12f} | {'yes' if row['ndcgEqual'] else 'NO'} "
                     f"(diff {row['ndcgDifference']:.1e}) |")
    lines += ["", f"- Date {r['date']}, commit `{r['commit']}`.",
              f"- Machine: {m['cpu']} ({m['cpuFlags']}), {m['logicalCpus']} logical CPUs, {m['memory']}, Linux "
              f"{m['kernel']}; `OPENBLAS_CORETYPE` {m['OPENBLAS_CORETYPE']}"
              + ("" if r.get("peerCoretype") is None else f" (the peers ran with `OPENBLAS_CORETYPE={r['peerCoretype']}`)")
              + f"; sparsecf threads {r['sparsecfThreads']}.",
              f"- Python {m['python']}, NumPy {m['numpy']}, SciPy {m['scipy']}, NumPy's BLAS {m['numpyBlas']}.",
              f"- Load average (1, 5, 15 min) before / after: {r['loadAverage']['before']} / {r['loadAverage']['after']}."]
    if r["note"]:
        lines.append(f"- {r['note']}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
