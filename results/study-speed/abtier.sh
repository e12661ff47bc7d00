#!/usr/bin/env bash
# alternating A/B of java on 2 threads (the study's setting) against oneDNN on 1: ML-100K 5 epochs (warm-up), then DATA for EPOCHS
cd ../scratch/studyspeed
D=$1; E=$2
for r in 1 2; do for cfg in "java 2" "dnnl 1"; do
  set -- $cfg
  echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) $cfg round $r"
  rm -rf runs/abt-$D-$1$2-r$r
  OPENBLAS_THREAD_TIMEOUT=4 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -Dsparsecf.threads=$2 -cp base-e2e592a.jar dev.sparsecf.cli.Main study beta --data ml-100k,$D \
    --data-dir ../../shared/data --seeds 1 --variants const-0.2 --epochs $E,ml-100k=5 --blas $1 --out runs/abt-$D-$1$2-r$r > runs/abt-$D-$1$2-r$r.out 2>&1
done; done
echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) done"
