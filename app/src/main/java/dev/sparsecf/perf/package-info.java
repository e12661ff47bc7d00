/**
 * Running the benchmarks and their results as data: the profiles ({@code quick}, {@code full}) and the JMH runs
 * they plan, JMH result files, the per-CPU results archive and its file naming, run metadata,
 * the machine's description and measured peaks, and the cross-CPU bench report.
 *
 * <p>Depends on {@code dev.sparsecf.bench} and JMH (the benchmarks it runs), {@code dev.sparsecf.kernels} (the
 * active implementation, for run metadata) and {@code dev.sparsecf.render}.
 */
package dev.sparsecf.perf;
