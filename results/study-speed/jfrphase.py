#!/usr/bin/env python3
"""Java+native samples of a JFR recording by phase (the outermost sparsecf frame that names one) and by kernel
(the innermost sparsecf frame). Usage: jfrphase.py FILE.jfr"""
import json, subprocess, sys, collections
J = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"
def events(path, ev):
    out = subprocess.run([J, "print", "--json", "--stack-depth", "64", "--events", ev, path], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]
PHASES = [("VaeTrainer.evaluate", "validation/test eval"), ("LatentStats", "latent stats"), ("Batches.gather", "batch gather"),
          ("MultVae.trainStep", "train step"), ("VaeTrainer.copy", "best-weights copy"), ("VaeTrainer.train", "trainer other"),
          ("CellStore", "cell files"), ("DataSteps", "data load/split"), ("AutoBlas", "calibration"), ("BlasCalibration", "calibration"),
          ("StudyRunner", "study other")]
def fr(e):
    st = e["values"].get("stackTrace")
    if not st: return []
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".") for f in st["frames"]]
for ev in ["jdk.ExecutionSample", "jdk.NativeMethodSample"]:
    es = events(sys.argv[1], ev)
    ph = collections.Counter(); kern = collections.Counter(); both = collections.Counter()
    for e in es:
        fs = fr(e)
        p = "other(" + (fs[-1] if fs else "?") + ")"
        for f in reversed(fs):  # outermost first
            hit = [n for k, n in PHASES if k in f]
            if hit: p = hit[0]
            if hit and hit[0] not in ("trainer other", "study other"): break
        k = next((f for f in fs if f.startswith("dev.sparsecf")), fs[0] if fs else "?")
        ph[p] += 1; kern[k] += 1; both[(p, k)] += 1
    print(f"== {ev}: {len(es)} samples")
    for p, c in ph.most_common(15): print(f"  {c:6d}  {p}")
    print("  -- innermost sparsecf frame")
    for k, c in kern.most_common(25): print(f"  {c:6d}  {k}")
    print("  -- phase x frame")
    for k, c in both.most_common(30): print(f"  {c:6d}  {k}")
