#!/usr/bin/env bash
# alternating A/B of the Java tier on 2 and 1 threads: ML-100K 5 epochs (JIT warm-up) then ML-1M 40 epochs, timed
cd ../scratch/studyspeed
for r in 1 2; do for t in 2 1; do
  echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) java $t round $r"
  rm -rf runs/ab40-java$t-r$r
  OPENBLAS_THREAD_TIMEOUT=4 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -Dsparsecf.threads=$t -cp base-e2e592a.jar dev.sparsecf.cli.Main study beta --data ml-100k,ml-1m \
    --data-dir ../../shared/data --seeds 1 --variants const-0.2 --epochs 40,ml-100k=5 --blas java --out runs/ab40-java$t-r$r > runs/ab40-java$t-r$r.out 2>&1
done; done
echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) done"
