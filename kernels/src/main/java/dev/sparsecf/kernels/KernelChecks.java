package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The argument checks of the {@link Kernels} facade: shapes, sizes, aliasing and thread access, each failing with an
 * {@link IllegalArgumentException} that names the call and the operand; the kernels behind the facade assume them.
 */
final class KernelChecks {

    private KernelChecks() {
    }

    /** {@code csrProduct}'s arguments: non-null, inner dimensions equal, C of A's rows by B's columns. */
    static void checkCsrProduct(CsrMatrix a, CsrMatrix b, DenseMatrix c) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("csrProduct: A is " + a.rows() + "x" + a.cols() + ", B is " + b.rows() + "x"
                    + b.cols() + ": inner dimensions differ");
        }
        requireShape("csrProduct: C", c, a.rows(), b.cols());
    }

    static void checkLikelihood(DenseMatrix logits, DenseMatrix grad, double[] rowLoss) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(grad, "grad");
        Objects.requireNonNull(rowLoss, "rowLoss");
        if (logits.cols() == 0) {
            throw new IllegalArgumentException("multinomialLikelihood: logits have no columns (softmax over zero items)");
        }
        requireShape("multinomialLikelihood: grad", grad, logits.rows(), logits.cols());
        if (rowLoss.length < logits.rows()) {
            throw new IllegalArgumentException("multinomialLikelihood: rowLoss has " + rowLoss.length + " entries, logits have "
                    + logits.rows() + " rows");
        }
        boolean inPlace = grad.segment().address() == logits.segment().address() && grad.ld() == logits.ld();
        if (!inPlace) {
            requireDisjoint("multinomialLikelihood: grad and logits (pass the same matrix for in place)",
                    grad.segment(), logits.segment());
        }
    }
    /** {@code muLogvar} is {@code m x 2k} and both {@code noise} and {@code latent} (z or dz) are {@code m x k}. */
    static void requireLatent(String what, DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix latent, String name) {
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(latent, name);
        if (muLogvar.cols() % 2 != 0) {
            throw new IllegalArgumentException(what + ": muLogvar has " + muLogvar.cols() + " columns, expected an even 2k (mu | logvar)");
        }
        requireShape(what + ": noise", noise, muLogvar.rows(), muLogvar.cols() / 2);
        requireShape(what + ": " + name, latent, muLogvar.rows(), muLogvar.cols() / 2);
    }
    static void requireSquareDoubles(String what, MemorySegment a, int n, int lda) {
        if (n < 0) {
            throw new IllegalArgumentException(what + ": negative order n = " + n);
        }
        if (lda < Math.max(1, n)) {
            throw new IllegalArgumentException(what + ": lda " + lda + " < max(1, n) = " + Math.max(1, n));
        }
        long needed = n == 0 ? 0 : ((long) (n - 1) * lda + n) * Double.BYTES;
        if (a.byteSize() < needed) {
            throw new IllegalArgumentException(what + ": segment of " + a.byteSize() + " bytes is too small for " + n + "x" + n
                    + " doubles with lda " + lda + " (" + needed + " bytes)");
        }
        if (a.isReadOnly()) {
            throw new IllegalArgumentException(what + ": the matrix segment is read-only");
        }
    }
    /** A GEMM's operands ({@code A} is {@code aRows x aCols} before op, B likewise) agree with each other and with C. */
    static void requireGemmShapes(String op, boolean transA, boolean transB, int aRows, int aCols, int bRows, int bCols,
                                  DenseMatrix c) {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int kb = transB ? bCols : bRows;
        int n = transB ? bRows : bCols;
        if (kb != k) {
            throw new IllegalArgumentException(op + ": inner dimensions differ: op(A) is " + m + "x" + k + " (A is "
                    + aRows + "x" + aCols + (transA ? ", transposed" : "") + ") but op(B) is " + kb + "x" + n
                    + " (B is " + bRows + "x" + bCols + (transB ? ", transposed" : "") + ")");
        }
        requireShape(op + ": C", c, m, n);
    }

    static void requireShape(String what, DenseMatrix m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(what + " is " + m.rows() + "x" + m.cols() + ", expected " + rows + "x" + cols);
        }
    }
    static void requireDisjoint(String what, MemorySegment x, MemorySegment y) {
        if (x.asOverlappingSlice(y).isPresent()) {
            throw new IllegalArgumentException(what + " share memory; the kernel needs separate buffers");
        }
    }

    /** Worker threads must be able to touch the segment: a confined arena's memory is off limits to them. */
    static void requireShared(KernelThreads pool, String what, MemorySegment a) {
        if (pool.threads() > 1 && !a.isAccessibleBy(new Thread(() -> { }))) {
            throw new IllegalArgumentException(what + ": the segment is confined to one thread but the kernels run on "
                    + pool.threads() + " threads; allocate it with Arena.ofShared() or Arena.ofAuto()");
        }
    }

    /** {@link Kernels#solveSpdBatch}'s operands: orders within {@code [0, lda]}, segments large enough and writable. */
    static void checkSpdBatch(KernelThreads pool, MemorySegment a, MemorySegment b, int[] orders, int count, int lda) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(orders, "orders");
        if (count < 0 || count > orders.length) {
            throw new IllegalArgumentException("solveSpdBatch: count " + count + " outside [0, " + orders.length + "]");
        }
        if (lda < 1) {
            throw new IllegalArgumentException("solveSpdBatch: lda " + lda + " < 1");
        }
        for (int s = 0; s < count; s++) {
            if (orders[s] < 0 || orders[s] > lda) {
                throw new IllegalArgumentException("solveSpdBatch: system " + s + " has order " + orders[s] + " outside [0, "
                        + lda + "]");
            }
        }
        long needA = (long) count * lda * lda * Double.BYTES;
        long needB = (long) count * lda * Double.BYTES;
        if (a.byteSize() < needA || b.byteSize() < needB) {
            throw new IllegalArgumentException("solveSpdBatch: " + count + " systems of lda " + lda + " need " + needA + " + "
                    + needB + " bytes, got " + a.byteSize() + " + " + b.byteSize());
        }
        if (a.isReadOnly() || b.isReadOnly()) {
            throw new IllegalArgumentException("solveSpdBatch: a segment is read-only");
        }
        requireDisjoint("solveSpdBatch: a and b", a, b);
        requireShared(pool, "solveSpdBatch", a);
        requireShared(pool, "solveSpdBatch", b);
    }
}
