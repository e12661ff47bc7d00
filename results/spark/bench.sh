#!/usr/bin/env bash
# Scale benchmark of `sparsecf spark prepare` and `spark cooccur` (baseline: single-node `data split`) on a seeded synthetic click log, in local mode on
# this machine. Usage: results/spark/bench.sh CLICKS [SCRATCH_DIR]   (e.g. 10000000). Appends one row per step to
# results/spark/bench.csv; the generated log is reused. Heap: JAVA_TOOL_OPTIONS (e.g. -Xmx3g).
# Environment: NOTE="..." describes the machine's other load for the notes column (default: other sessions compiling
# and testing); LOG=FILE takes that log of CLICKS rows instead (e.g. `./sparsecf data synth`'s); STEPS picks and orders
# the steps (default: "data-split prepare cooccur"); SPARSECF=PATH runs another launcher (a copy of the built jars,
# so editing the sources meanwhile triggers no rebuild). Spark's event log (per-stage records and times) goes to
# SCRATCH/events when JAVA_TOOL_OPTIONS sets -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file:SCRATCH/events.
# Shape: CLICKS clicks by CLICKS/50 users (activity exponential around 50, so a long tail of very active users)
# over CLICKS/500 items (popularity Zipf-like: item = floor(items * u^3)), 5% repeated clicks; CSV with a header.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLICKS=${1:?clicks}
SCRATCH=${2:-../scratch/spark/bench}
mkdir -p "$SCRATCH"
LOG=${LOG:-$SCRATCH/clicks-$CLICKS.csv}
SPARSECF=${SPARSECF:-$ROOT/sparsecf}
STEPS=${STEPS:-data-split prepare cooccur}
if [ ! -f "$LOG" ]; then
  awk -v clicks="$CLICKS" 'BEGIN {
    srand(20261206); users = int(clicks / 50); items = int(clicks / 500); print "user_id,item_id,ts"
    n = 0; u = 0
    while (n < clicks) {
      k = 1 + int(-50 * log(1 - rand())); last = -1
      for (j = 0; j < k && n < clicks; j++) {
        it = (last >= 0 && rand() < 0.05) ? last : int(items * rand() ^ 3)
        print "u" (u % users) "," it "," 1700000000 + n; last = it; n++
      }
      u++
    }
  }' >"$LOG.tmp" && mv "$LOG.tmp" "$LOG"
fi
CSV="$ROOT/results/spark/bench.csv"
[ -f "$CSV" ] || echo "date,commit,step,clicks,seconds,clicks_per_second,max_rss_mb,cores,heap,notes" >"$CSV"
run() { # step, then the sparsecf command line
  local step=$1; shift
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$SCRATCH/rss" "$SPARSECF" "$@" >"$SCRATCH/$step-$CLICKS.out" 2>&1
  t1=$(date +%s.%N)
  rss=$(tail -1 "$SCRATCH/rss")
  echo "$(date -u +%FT%TZ),$(git -C "$ROOT" rev-parse --short HEAD),$step,$CLICKS,$(echo "$t1 - $t0" | bc),$(echo "$CLICKS / ($t1 - $t0)" | bc),$((rss / 1024)),$(nproc),${JAVA_TOOL_OPTIONS:-default},${NOTE:-other sessions compiling and testing} (load average $(cut -d' ' -f1 /proc/loadavg))" >>"$CSV"
  tail -1 "$CSV"
}
# build both jars first, so no timed step includes a build
"$SPARSECF" --help >/dev/null
"$SPARSECF" spark --help >/dev/null
for step in $STEPS; do
  case $step in
  # the baseline: the single-node loader and split on the same log, same options, same output
  data-split) run single-node-data-split data split --data "$LOG" --out "$SCRATCH/single-$CLICKS" --force ;;
  prepare) run spark-prepare spark prepare --data "$LOG" --out "$SCRATCH/split-$CLICKS" --force ;;
  cooccur) run spark-cooccur spark cooccur --split "$SCRATCH/split-$CLICKS" --out "$SCRATCH/gram-$CLICKS" --top-k 50 --force ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
if [ -f "$SCRATCH/single-$CLICKS/SHA256SUMS" ] && [ -f "$SCRATCH/split-$CLICKS/SHA256SUMS" ]; then
  cmp "$SCRATCH/single-$CLICKS/SHA256SUMS" "$SCRATCH/split-$CLICKS/SHA256SUMS" && echo "same split (SHA256SUMS equal)"
fi
