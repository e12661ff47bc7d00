#!/usr/bin/env bash
# The interleaved load benchmark of load.md: two loaders (two app jars) on the same files in one run, a fresh JVM per
# load, one JSON line per run appended to $S/load-bench.jsonl. Run from the repository root, under the bench lock:
#   ./sparsecf data synth --rows 10000000 --out ../scratch/loader2/synth-10m.csv     (and --rows 100000000 ... synth-100m.csv)
#   mvn -B -o -q -pl bench -am compile; cp app/target/sparsecf.jar ../scratch/loader2/app-new.jar  (and a base jar)
#   flock ../locks/bench results/own-data/load-bench.sh ../scratch/loader2/app-base.jar ../scratch/loader2/app-new.jar
set -u
BASE=$1
NEW=$2
S=${S:-../scratch/loader2}
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
CLASSES=bench/target/classes # LoadBenchmark uses only public loader API, so it runs on either jar
run() { # tag jar file
  local gc=$S/gc-$1.log
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  local out
  out=$($J -Xlog:gc:file="$gc" -cp "$2:$CLASSES" dev.sparsecf.bench.LoadBenchmark "$3" 2>&1 | tail -1)
  local peak
  peak=$(grep -o '[0-9]*M->[0-9]*M' "$gc" | awk -F'M->' '{if($1>m)m=$1} END{print m}')
  echo "{\"run\": \"$1\", \"loadavg\": \"$load\", \"gcLargestHeapBeforeMB\": $peak, \"result\": $out}" | tee -a "$S/load-bench.jsonl"
}
echo "== $(date -u +%T) $(lscpu | grep 'Model name' | sed 's/  */ /g')"
for r in 1 2; do
  run "new-10m-$r" "$NEW" "$S/synth-10m.csv"
  run "base-10m-$r" "$BASE" "$S/synth-10m.csv"
done
run new-100m-1 "$NEW" "$S/synth-100m.csv"
run base-100m-1 "$BASE" "$S/synth-100m.csv"
run new-100m-2 "$NEW" "$S/synth-100m.csv"
# the heap bound (not timed): the smallest -Xmx that completes, e.g.
#   java -Xmx1000m -cp $NEW:$CLASSES dev.sparsecf.bench.LoadBenchmark $S/synth-100m.csv
echo "== done $(date -u +%T)"
