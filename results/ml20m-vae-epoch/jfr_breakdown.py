#!/usr/bin/env python3
"""Breakdown of a JFR recording's samples by sparsecf kernel: thread seconds per category.

Usage: gunzip -k epoch-1thread-668a081.jfr.gz && python3 jfr_breakdown.py epoch-1thread-668a081.jfr 1
(the second argument: OpenBLAS threads, i.e. the run's --threads).

Java samples (jdk.ExecutionSample, every 10 ms per running Java thread) and native samples (jdk.NativeMethodSample,
every 20 ms per thread in native code) are classified by the first frame, from the top, whose class or method
names a kernel. Native samples in OpenBLAS's sgemm count once per OpenBLAS thread: only the caller's thread is
sampled, OpenBLAS's other workers (native threads JFR does not see) run alongside it. Categories in parentheses
happen before or after the epoch and are left out of the total."""
import json, subprocess, sys, collections

JFR = "jfr"  # the JDK 25 jfr tool on PATH
RULES = [  # (substring of "class.method", category), first match from the top frame wins
    ("OpenBlas.sgemm", "GEMM"), ("Dnnl", "GEMM"), ("BlasGemm", "GEMM"), ("PanamaGemm", "GEMM"), ("ScalarGemm", "GEMM"),
    ("PanamaSpmmTranspose", "SpMM^T (first-layer weight gradient)"), ("ScalarSpmmTranspose", "SpMM^T (first-layer weight gradient)"),
    ("PanamaSpmm", "SpMM (first layer)"), ("ScalarSpmm", "SpMM (first layer)"),
    ("PanamaLogSoftmax", "log-softmax + loss"), ("ScalarLogSoftmax", "log-softmax + loss"),
    ("PanamaSampling", "sampling + KL"), ("ScalarSampling", "sampling + KL"),
    ("PanamaAdam", "Adam"), ("ScalarAdam", "Adam"),
    ("ElementwiseKernel", "element-wise (tanh, backward, bias sums, broadcast)"),
    ("broadcastRow", "element-wise (tanh, backward, bias sums, broadcast)"),
    ("PanamaTanh", "element-wise (tanh, backward, bias sums, broadcast)"),
    ("PanamaElementwise", "element-wise (tanh, backward, bias sums, broadcast)"),
    ("ScalarTanh", "element-wise (tanh, backward, bias sums, broadcast)"),
    ("ScalarElementwise", "element-wise (tanh, backward, bias sums, broadcast)"),
    ("PanamaTopK", "top-K (validation)"), ("ScalarTopK", "top-K (validation)"), ("TopKHeap", "top-K (validation)"),
    ("Batches.", "batch gather + dropout"), ("MultVae.zero", "zeroing gradients"), ("DenseMatrix.zero", "zeroing gradients"),
    ("MemorySegment.fill", "zeroing gradients"), ("SegmentBulkOperations.fill", "zeroing gradients"),
    ("dev.sparsecf.eval", "validation metrics"),
    ("dev.sparsecf.kernels.synthetic", "(before the epoch) data generation + split"),
    ("dev.sparsecf.data", "(before the epoch) data generation + split"),
    ("dev.sparsecf.run.DataSteps", "(before the epoch) data generation + split"),
    ("MultVae.<init>", "(before the epoch) model set-up"), ("TrainingRun.autoencoder", "(before the epoch) model set-up"),
    ("ModelFile", "(after the epoch) model and checkpoint files"), ("TrainingCheckpoint", "(after the epoch) model and checkpoint files"),
]

def frames(ev):
    st = ev["values"].get("stackTrace")
    if not st:
        return []
    out = []
    for f in st["frames"]:
        m = f["method"]
        out.append((m["type"]["name"] + "." + m["name"]).replace("/", "."))
    return out

def classify(fs):
    for f in fs:
        for key, cat in RULES:
            if key in f:
                return cat
    if any(f.startswith("jdk.jfr") for f in fs):
        return "JFR itself"
    if any("C2Compiler" in f or "Compile" in f for f in fs):
        return "JIT"
    return "other"

def load(path, event):
    out = subprocess.run([JFR, "print", "--json", "--stack-depth", "96", "--events", event, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]

def main(path, gemm_threads):
    cpu = collections.Counter()
    thr = collections.Counter()
    for ev in load(path, "jdk.ExecutionSample"):
        cat = classify(frames(ev))
        cpu[cat] += 0.010
        t = ev["values"].get("sampledThread") or {}
        thr[t.get("javaName") or t.get("osName")] += 1
    native_unclassified = collections.Counter()
    for ev in load(path, "jdk.NativeMethodSample"):
        fs = frames(ev)
        cat = classify(fs)
        if cat == "GEMM":
            cpu[cat] += 0.020 * gemm_threads
        elif cat == "other":
            native_unclassified[fs[0] if fs else "?"] += 1
        else:
            cpu[cat] += 0.020
    total = sum(v for k, v in cpu.items() if not k.startswith("("))
    print(f"{'category':55s} {'CPU s':>8s} {'share':>7s}")
    for cat, s in cpu.most_common():
        print(f"{cat:55s} {s:8.1f} {100*s/total:6.1f}%")
    print(f"{'total':55s} {total:8.1f}")
    print("\nJava samples per thread:", dict(thr.most_common(8)))
    print("native samples not attributed (waiting/idle natives, top frames):", dict(native_unclassified.most_common(6)))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
