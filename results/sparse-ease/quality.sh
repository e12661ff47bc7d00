#!/usr/bin/env bash
# The quality table of neighbourhood EASE (issue #22): one `train --model ease [--neighbors K]` per cell (dataset x K),
# on the beta study's split (split seed 0, held-out users auto: `train`'s defaults, checked by the split fingerprint),
# under /usr/bin/time -v. Each finished cell writes quality/DATASET-K.json (train's metrics.json plus wall time,
# peak RSS, the command, the jar (named by its hash) and the sparse Gram's line) atomically; a cell whose json exists is skipped, so the script resumes where it stopped.
#
# Usage: results/sparse-ease/quality.sh [DATASETS [KS]]   e.g.  quality.sh "ml-1m lastfm" "dense 50 100"
#   env JAR (default app/target/sparsecf.jar, copied to the scratch folder first so rebuilding does not disturb a run),
#   DATA_DIR (default ../shared/data), SCRATCH (default ../scratch/sparse-quality).
# Lambda: chosen once per dataset, by the K = 100 cell's search (200,500,1000 by validation NDCG@100, up to 4 steps
# past an edge: train's default); every other cell of the dataset fits that lambda alone (--lambda-edge-steps 0), since
# a dense search on a 25k-item catalogue is several inversions of half an hour each on this shared machine. (The
# ML-1M cells of the first batch searched the grid each; dense and every K chose 500 there.)
# Dense fits of more than 10,000 items (over 3 GB) run under flock ../locks/bigmem.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATASETS=${1:-"ml-1m lastfm citeulike-a citeulike-t amazon-book"}
KS=${2:-"100 50 250 dense 500 1000"}
DATA_DIR=${DATA_DIR:-$ROOT/../shared/data}
SCRATCH=${SCRATCH:-$ROOT/../scratch/sparse-quality}
LOCKS=${LOCKS:-$ROOT/../locks}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OUT=$HERE/quality
mkdir -p "$OUT" "$SCRATCH"
SRC_JAR=${JAR:-$ROOT/app/target/sparsecf.jar}
JAR_COPY=$SCRATCH/sparsecf-$(sha1sum "$SRC_JAR" | cut -c1-12).jar
[ -f "$JAR_COPY" ] || cp "$SRC_JAR" "$JAR_COPY"
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-4}

items() { # training items of a dataset, from its dense cell or any cell that ran
  python3 - "$OUT" "$1" <<'EOF'
import json, glob, sys
for f in sorted(glob.glob(f"{sys.argv[1]}/{sys.argv[2]}-*.json")):
    print(json.load(open(f))["split"]["items"]); break
EOF
}

for data in $DATASETS; do
  for k in $KS; do
    cell=$OUT/$data-$k.json
    if [ -f "$cell" ]; then
      echo "skip $data K=$k (exists)"
      continue
    fi
    lambda=(--lambda 200,500,1000)
    if [ "$k" != 100 ]; then
      chooser=$OUT/$data-100.json
      if [ ! -f "$chooser" ]; then
        echo "skip $data K=$k: needs $chooser for its lambda"
        continue
      fi
      lambda=(--lambda "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['lambda'])" "$chooser")"
        --lambda-edge-steps 0)
    fi
    nb=()
    [ "$k" = dense ] || nb=(--neighbors "$k")
    dir=$SCRATCH/$data-$k
    args=(train --model ease "${nb[@]}" --data "$data" --data-dir "$DATA_DIR" "${lambda[@]}" --out "$dir" --force)
    lock=()
    n=$(items "$data")
    if [ "$k" = dense ] && { [ -z "$n" ] || [ "$n" -gt 10000 ]; }; then
      lock=(flock "$LOCKS/bigmem")
    fi
    echo "$(date -u +%H:%M:%S) $data K=$k: ${args[*]}"
    "${lock[@]}" /usr/bin/time -v -o "$dir.time" "$JAVA" --add-modules=jdk.incubator.vector \
      --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$JAR_COPY" dev.sparsecf.cli.Main \
      "${args[@]}" > "$dir.out" 2> "$dir.err" || { echo "FAILED $data K=$k: see $dir.err"; tail -3 "$dir.err"; continue; }
    python3 - "$dir" "$cell" "$k" "${args[*]}" "$DATA_DIR" "$SCRATCH" "$(basename "$JAR_COPY")" <<'EOF'
import json, os, re, sys
run, cell, k, command, data_dir, scratch, jar = sys.argv[1:]
m = json.load(open(os.path.join(run, "metrics.json")))
t = open(run + ".time").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
m["cell"] = {"K": k, "wallSeconds": secs, "maxRssKB": int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)),
             "command": "sparsecf " + command.replace(data_dir, "DATA_DIR").replace(scratch, "SCRATCH"), "jar": jar,
             "gram": next((l.strip() for l in open(run + ".err") if l.startswith("EASE: sparse Gram")), None)}
tmp = cell + ".tmp"
with open(tmp, "w") as f:
    json.dump(m, f, indent=1)
os.replace(tmp, cell)
EOF
    echo "$(date -u +%H:%M:%S) done $data K=$k"
  done
done
