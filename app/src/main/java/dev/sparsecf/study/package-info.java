/**
 * The beta study's engine: the variants of the grid, the protocol a study directory was started with, the
 * resumable cell store (rows written as each cell finishes, replaced atomically) and the runner.
 *
 * <p>Depends on the models, {@code dev.sparsecf.run} (each cell is one training run), {@code dev.sparsecf.perf}
 * (machine metadata) and {@code dev.sparsecf.render} (progress lines); not on the command line.
 */
package dev.sparsecf.study;
