#!/usr/bin/env bash
# The batch-recommendation benchmark of batch-recommend.md. Run from the repository root:
#   flock ../locks/bigmem ./sparsecf train --model ease --data synthetic --lambda 500 --lambda-edge-steps 0 --out ../scratch/loader2/ease-synth
#   flock ../locks/bench results/own-data/recommend-bench.sh app/target/sparsecf.jar
# Runs recommend for one user (the fixed cost: JVM, data generation, model load) and for every user, under
# /usr/bin/time, so the CPU seconds of the batch work are the difference.
set -u
JAR=$1
S=${S:-../scratch/loader2}
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
echo 0 > "$S/one-user.txt"
one() { # tag users
  echo "== $1 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) $(lscpu | grep 'Model name' | sed 's/  */ /g')"
  /usr/bin/time -f "user %U s, system %S s, wall %e s, max RSS %M KB, CPU %P" "$J" --add-modules=jdk.incubator.vector \
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${JFLAGS:-} -cp "$JAR" dev.sparsecf.cli.Main \
    recommend --model "$S/ease-synth/model.sparsecf" --users "$2" -k 20 --out "$S/recs-$1.csv" --force 2>&1 \
    | grep -v "^WARNING: Using incubator"
}
one fixed-1 "$S/one-user.txt"
one all all
one fixed-2 "$S/one-user.txt"
echo "== end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
