/**
 * The Vector API tier ({@code Panama*}): every kernel of {@code dev.sparsecf.kernels} vectorized with
 * {@code jdk.incubator.vector} on {@code MemorySegment}s, plus the species constants.
 *
 * <p>Depends on {@code dev.sparsecf.kernels} and {@code jdk.incubator.vector}. Loaded only by name, by
 * {@code KernelProvider}, after it has checked that the module is present; no other package may import it.
 */
package dev.sparsecf.kernels.panama;
