/**
 * Seeded synthetic click matrices with the shape of real datasets (ML-20M by default), for benchmarks and the
 * {@code synthetic} dataset.
 *
 * <p>Depends on {@code dev.sparsecf.kernels} only.
 */
package dev.sparsecf.kernels.synthetic;
