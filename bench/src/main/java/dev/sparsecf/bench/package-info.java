/**
 * The JMH benchmarks: one class per kernel or model step ({@code *Benchmark}, the implementation as an
 * {@code impl} parameter), the shared harness ({@code KernelBenchmark}, {@code TrialBenchmark}), the workload
 * shapes ({@code BenchShape}), flop and byte counters, and the correctness checks run outside the timed region.
 *
 * <p>Depends on the kernels and models, {@code dev.sparsecf.testing} (the checks) and JMH; the OpenBLAS tier is on
 * the class path and chosen through {@code Kernels}, never imported. Never depends on the command line. Run through
 * {@code ./sparsecf bench}, or as a plain JMH jar ({@code bench/target/sparsecf-bench.jar}).
 */
package dev.sparsecf.bench;
