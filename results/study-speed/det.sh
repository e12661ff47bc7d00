#!/usr/bin/env bash
# JAR TAG BLAS THREADS EPOCHS: two cells in one JVM (the first warms the JIT), to compare the second
cd ../scratch/studyspeed
J=$1; T=$2; B=$3; N=$4; E=$5
rm -rf runs/det-$T
OPENBLAS_THREAD_TIMEOUT=4 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -Dsparsecf.threads=$N -cp $J dev.sparsecf.cli.Main study beta --data ${DATA:-ml-1m} \
  --data-dir ../../shared/data --seeds 1 --variants const-0.1,const-0.2 --epochs $E --blas $B --out runs/det-$T > runs/det-$T.out 2>&1
