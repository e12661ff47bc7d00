/**
 * Benchmark results as data: JMH result files, the per-CPU results archive and its file naming, run metadata,
 * the machine's description and measured peaks, and the cross-CPU bench report.
 *
 * <p>Depends on {@code dev.sparsecf.kernels} (the active implementation, for run metadata) and
 * {@code dev.sparsecf.render}.
 */
package dev.sparsecf.perf;
