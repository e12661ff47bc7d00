#!/usr/bin/env bash
# usage: cell.sh JAR OUTDIR DATA VARIANT EPOCHS BLAS [extra JVM flags...]
set -euo pipefail
JAR=$1; OUT=$2; DATA=$3; VAR=$4; EP=$5; BLAS=$6; shift 6
export OPENBLAS_THREAD_TIMEOUT=4
exec /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow "$@" -cp "$JAR" dev.sparsecf.cli.Main study beta --data "$DATA" \
  --data-dir ../shared/data --seeds 1 --variants "$VAR" --epochs "$EP" --blas "$BLAS" --out "$OUT"
