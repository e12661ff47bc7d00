#!/usr/bin/env python3
"""Per-stage work of a Spark event log (spark.eventLog.enabled): for each stage, its tasks, the wall time from
submission to completion, the executor run time summed over tasks (core-seconds), the records it read (input or
shuffle) and wrote (shuffle or output), shuffle bytes written and the records per core-second.
Usage: results/spark/stages.py EVENT_LOG [...]   (an unfinished run's log works too: finished tasks are counted;
Spark 4 writes events_*.zstd inside eventlog_v2_* directories: zstd -dc reads them)."""
import json
import subprocess
import sys
from collections import defaultdict

for path in sys.argv[1:]:
    stages = {}
    work = defaultdict(lambda: defaultdict(float))
    text = subprocess.run(["zstd", "-dc", path], capture_output=True, check=False).stdout if path.endswith(".zstd") \
        else open(path, "rb").read()
    if True:
        for line in text.decode("utf-8", "replace").splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue  # a log cut mid-line by a kill
            kind = e.get("Event")
            if kind == "SparkListenerStageSubmitted" or kind == "SparkListenerStageCompleted":
                info = e["Stage Info"]
                s = stages.setdefault(info["Stage ID"], {"name": info["Stage Name"].split(" at ")[0], "tasks": info["Number of Tasks"]})
                s["submitted"] = info.get("Submission Time", s.get("submitted"))
                if "Completion Time" in info:
                    s["completed"] = info["Completion Time"]
                s["details"] = info.get("Details", "").split("\n")[1:4] if "Details" in info else s.get("details")
            elif kind == "SparkListenerTaskEnd" and e.get("Task Metrics"):
                m = e["Task Metrics"]
                w = work[e["Stage ID"]]
                w["tasks"] += 1
                w["run_s"] += m.get("Executor Run Time", 0) / 1000
                w["in"] += m.get("Input Metrics", {}).get("Records Read", 0) + m.get("Shuffle Read Metrics", {}).get("Total Records Read", 0)
                w["out"] += m.get("Output Metrics", {}).get("Records Written", 0) + m.get("Shuffle Write Metrics", {}).get("Shuffle Records Written", 0)
                w["shuffle_mb"] += m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0) / 1e6
                w["spill_mb"] += m.get("Disk Bytes Spilled", 0) / 1e6
    print(f"# {path}")
    print("stage,name,tasks_done,wall_s,core_s,records_in,records_out,shuffle_write_mb,spill_mb,in_per_core_s,out_per_core_s,caller")
    for sid in sorted(stages):
        s = stages[sid]
        w = work[sid]
        wall = (s["completed"] - s["submitted"]) / 1000 if s.get("completed") and s.get("submitted") else float("nan")
        core = w["run_s"]
        caller = ""
        for d in s.get("details") or []:
            if "dev.sparsecf" in d:
                caller = d.strip().split("(")[-1].rstrip(")")
                break
        print(f"{sid},{s['name']},{int(w['tasks'])}/{s['tasks']},{wall:.1f},{core:.1f},{int(w['in'])},{int(w['out'])},"
              f"{w['shuffle_mb']:.0f},{w['spill_mb']:.0f},{w['in'] / core if core else 0:.0f},{w['out'] / core if core else 0:.0f},{caller}")
