/**
 * The performance gates CI runs: speed-up over scalar and allocation floors per vector width
 * ({@code bench/gates.json}), and the regression check between two result files.
 *
 * <p>Depends on {@code dev.sparsecf.perf}, {@code dev.sparsecf.render}, and on {@code dev.sparsecf.bench} and JMH
 * for the short benchmark run a gates file describes.
 */
package dev.sparsecf.perf.gate;
