/**
 * OpenBLAS through bytedeco JavaCPP: zero-copy calls on the kernels' {@code MemorySegment}s, the
 * {@code -Dsparsecf.blas} selection with its fallback, and {@code ExitGate}, which keeps the JVM from exiting
 * during an OpenBLAS call.
 *
 * <p>Depends on {@code dev.sparsecf.kernels} and {@code org.bytedeco}; the only package that may import
 * {@code org.bytedeco}.
 */
package dev.sparsecf.blas;
