package dev.sparsecf.models.ease;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * Fits EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data", arXiv:1905.03375): item-item weights
 * {@code B[n x n]} with {@code B_ij = -P_ij / P_jj} off the diagonal and {@code B_ii = 0}, where
 * {@code P = (X^T X + lambda I)^-1} and X is the binary users x items training matrix.
 *
 * <p>Memory: a fit holds one {@code n x n} double buffer (the Gram matrix, inverted in place) and, in float64 mode,
 * the float32 B beside it for the final pass: {@code 12 n^2} bytes at the peak, then only B's {@code 4 n^2} (41,140
 * items: 20.3 GB peak, 6.8 GB after). In float32 mode the buffer is converted in place and B ends up in it, so the
 * peak and the model are {@code 8 n^2} bytes. The double buffer is freed as soon as B is written.
 */
public final class EaseFitter {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    /** Rows of the double buffer start on 64-byte boundaries (whole vectors for the Java kernels). */
    private static final int LDA_DOUBLES = 8;
    /** At most one progress line per 5 s within a phase. */
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private EaseFitter() {
    }

    /** Off-heap bytes a float64 fit of {@code n} items holds at its peak: the n x n double buffer and the float32 B. */
    public static long peakBytes(int n) {
        return (long) n * roundUp(n, LDA_DOUBLES) * Double.BYTES + (long) n * DenseMatrix.paddedStride(n) * Float.BYTES;
    }

    /** {@link #fit(CsrMatrix, ClosedForm, double, double, Precision, Kernels, Consumer)} of EASE in float64. */
    public static EaseModel fit(CsrMatrix x, double lambda, Kernels kernels, Consumer<String> progress) {
        return fit(x, lambda, Precision.FLOAT64, kernels, progress);
    }

    /** {@link #fit(CsrMatrix, ClosedForm, double, double, Precision, Kernels, Consumer)} of EASE. */
    public static EaseModel fit(CsrMatrix x, double lambda, Precision precision, Kernels kernels, Consumer<String> progress) {
        return fit(x, ClosedForm.EASE, lambda, 0, precision, kernels, progress);
    }

    /**
     * Fits B of the closed form {@code form} ({@link ClosedForm}) to the binary {@code users x items} matrix
     * {@code x} with penalty {@code strength} (EASE's lambda, EDLAE's and DLAE's dropout odds) and L2 weight {@code l2}
     * (EDLAE and DLAE; 0 for EASE): Gram matrix by
     * {@link Kernels#gram}, inverse by {@link Kernels#invertSpd} (OpenBLAS or the Java kernels, per {@code -Dsparsecf.blas}), then B; one line per phase
     * goes to {@code progress}.
     *
     * @throws IllegalArgumentException if the strength is not a positive finite number, l2 is negative, infinite or
     *                                  (for EASE) not 0, x is weighted or has no items, or float32 is asked of a
     *                                  backend without a float32 inverse
     */
    public static EaseModel fit(CsrMatrix x, ClosedForm form, double strength, double l2, Precision precision,
                                Kernels kernels, Consumer<String> progress) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(kernels, "kernels");
        if (!x.isBinary()) {
            throw new IllegalArgumentException("EASE: X must be binary implicit feedback, got a weighted " + x);
        }
        if (x.cols() < 1) {
            throw new IllegalArgumentException("EASE: X has no item columns: " + x);
        }
        return fit(new Gram(x.rows(), x.cols(), x.nnz(), (g, lda) -> kernels.gram(x, g, lda)), form, strength, l2,
                precision, kernels, progress);
    }

    /**
     * The Gram matrix {@code X^T X} of {@code users x items} binary clicks, and how to write it: {@code fill} writes
     * every entry of the {@code items x items} matrix, row-major with leading dimension {@code lda} doubles, into
     * zeroed memory (the Spark path fills it from co-occurrence counts).
     */
    public record Gram(int users, int items, long clicks, Fill fill) {

        /** Writes the Gram matrix into {@code g}. */
        @FunctionalInterface
        public interface Fill {
            void into(MemorySegment g, int lda);
        }
    }

    /** {@link #fit(Gram, ClosedForm, double, double, Precision, Kernels, Consumer)} of EASE. */
    public static EaseModel fit(Gram gram, double lambda, Precision precision, Kernels kernels, Consumer<String> progress) {
        return fit(gram, ClosedForm.EASE, lambda, 0, precision, kernels, progress);
    }

    /** {@link #fit(CsrMatrix, ClosedForm, double, double, Precision, Kernels, Consumer)} from a Gram matrix counted elsewhere. */
    public static EaseModel fit(Gram gram, ClosedForm form, double strength, double l2, Precision precision,
                                Kernels kernels, Consumer<String> progress) {
        Objects.requireNonNull(gram, "gram");
        Objects.requireNonNull(form, "form");
        double lambda = strength;
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(progress, "progress");
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException(form.label + ": " + form.strength + " must be a positive finite number"
                    + " (the penalty that makes X^T X + Lambda invertible), got " + lambda);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2) || form == ClosedForm.EASE && l2 != 0) {
            throw new IllegalArgumentException(form.label + ": the L2 weight must be " + (form == ClosedForm.EASE
                    ? "0 (EASE's lambda is its L2 weight)" : "a finite number >= 0") + ", got " + l2);
        }
        int n = gram.items();
        if (n < 1) {
            throw new IllegalArgumentException("EASE: the Gram matrix has no items");
        }
        if (precision == Precision.FLOAT32 && !kernels.hasFloatInverse()) {
            throw new IllegalArgumentException("EASE: the float32 factorisation needs OpenBLAS (-Dsparsecf.blas=openblas);"
                    + " the " + kernels.denseImplementationName() + " backend inverts in double only, use float64");
        }
        int lda = roundUp(n, LDA_DOUBLES);
        long bufferBytes = (long) n * lda * Double.BYTES;
        String backend = kernels.denseImplementationName();
        progress.accept(String.format(Locale.ROOT, "%s: %,d users x %,d items, %,d clicks, %s %s%s, %s on %s;"
                        + " n x n buffer %.2f GB", form.label, gram.users(), n, gram.clicks(), form.strength,
                Lambdas.format(lambda), l2 == 0 ? "" : ", L2 " + Lambdas.format(l2), precision.name().toLowerCase(Locale.ROOT),
                backend, bufferBytes / 1e9));

        long t0 = System.nanoTime();
        Arena arena = Arena.ofShared(); // the kernels' worker threads read and write it
        boolean arenaOwnedByModel = false;
        DenseMatrix b = null;
        Arena weights = null; // float64: B's own memory, owned by the model
        try {
            MemorySegment g = kernels.allocateTouched(arena, bufferBytes);
            long t1 = System.nanoTime();
            gram.fill().into(g, lda);
            double[] penalty = new double[n];
            for (int i = 0; i < n; i++) {
                long ii = (long) i * lda + i;
                penalty[i] = form.penalty(lambda, l2, g.getAtIndex(D, ii));
                g.setAtIndex(D, ii, g.getAtIndex(D, ii) + penalty[i]);
            }
            long t2 = System.nanoTime();
            progress.accept(String.format(Locale.ROOT, "EASE: Gram X^T X + lambda I in %.2f s (allocation %.2f s)",
                    (t2 - t1) / 1e9, (t1 - t0) / 1e9));

            long t3;
            long offHeapPeak;
            if (precision == Precision.FLOAT64) {
                progress.accept(String.format(Locale.ROOT, "EASE: factorise+invert (float64, n^3 = %.2f TFLOP)%s ...",
                        Math.pow(n, 3) / 1e12, nativeNote(backend)));
                kernels.invertSpd(g, n, lda, false, progressLine("factorise+invert", progress));
                t3 = System.nanoTime();
                progress.accept(String.format(Locale.ROOT, "EASE: factorise+invert (float64) in %.2f s", (t3 - t2) / 1e9));
                double[] scale = InverseToWeights.scale(form, penalty, g, D, n, lda);
                int ldb = DenseMatrix.paddedStride(n);
                weights = Arena.ofShared();
                b = DenseMatrix.wrap(kernels.allocateTouched(weights, (long) n * ldb * Float.BYTES), n, n, ldb);
                offHeapPeak = bufferBytes + (long) n * b.ld() * Float.BYTES;
                InverseToWeights.write(g, D, lda, scale, !form.zeroDiagonal(), b, kernels.pool());
            } else {
                int ldb = DenseMatrix.paddedStride(n);
                progress.accept(String.format(Locale.ROOT, "EASE: factorise+invert (float32, n^3 = %.2f TFLOP)%s ...",
                        Math.pow(n, 3) / 1e12, nativeNote(backend)));
                InverseToWeights.toFloatInPlace(g, n, lda, ldb, kernels.pool());
                b = DenseMatrix.wrap(g, n, n, ldb);
                kernels.invertSpdFloat(b, false, progressLine("factorise+invert", progress));
                t3 = System.nanoTime();
                progress.accept(String.format(Locale.ROOT, "EASE: float32 conversion + factorise+invert in %.2f s",
                        (t3 - t2) / 1e9));
                double[] scale = InverseToWeights.scale(form, penalty, g, F, n, ldb);
                InverseToWeights.write(g, F, ldb, scale, !form.zeroDiagonal(), b, kernels.pool());
                offHeapPeak = bufferBytes;
            }
            long t4 = System.nanoTime();
            FitReport report = new FitReport(gram.users(), n, gram.clicks(), lambda, precision, backend, t1 - t0, t2 - t1,
                    t3 - t2, t4 - t3, offHeapPeak, 0, 0);
            Runtime rt = Runtime.getRuntime();
            progress.accept(String.format(Locale.ROOT, "EASE: B written in %.2f s; total %.2f s; off-heap peak %.2f GB,"
                            + " Java heap in use %.2f GB", (t4 - t3) / 1e9, report.totalNanos() / 1e9, offHeapPeak / 1e9,
                    (rt.totalMemory() - rt.freeMemory()) / 1e9));
            boolean inBuffer = precision == Precision.FLOAT32;
            EaseModel model = new EaseModel(b, inBuffer ? arena : weights, kernels, lambda, report);
            arenaOwnedByModel = inBuffer;
            weights = null;
            return model;
        } catch (RuntimeException | Error e) {
            if (weights != null) {
                weights.close(); // float64: B's own memory; float32: B is in the buffer, closed below
            }
            throw e;
        } finally {
            if (!arenaOwnedByModel) {
                arena.close(); // frees the double buffer: B is written (or the fit failed)
            }
        }
    }

    /**
     * Progress of a long phase, at most one line every {@link #PROGRESS_EVERY_NANOS}: the fraction done, the time
     * so far and the time left if the rest runs at the same rate.
     */
    private static DoubleConsumer progressLine(String phase, Consumer<String> progress) {
        long start = System.nanoTime();
        long[] last = {start};
        return done -> {
            long now = System.nanoTime();
            if (now - last[0] < PROGRESS_EVERY_NANOS || done >= 1) {
                return;
            }
            last[0] = now;
            double seconds = (now - start) / 1e9;
            progress.accept(String.format(Locale.ROOT, "EASE: %s %.0f%% after %.0f s, about %.0f s left", phase,
                    100 * done, seconds, seconds * (1 - done) / done));
        };
    }

    /**
     * OpenBLAS's potri is one opaque call (2/3 of the flops): its share in the progress lines is estimated from the
     * factorisation's rate, and the start line says so. MKL's sweep reports every block of pivots.
     */
    private static String nativeNote(String backend) {
        return backend.startsWith("java/") ? "" : backend.endsWith("mkl") ? "; progress per block of pivots (sweep)"
                : "; progress per factorisation block, then potri estimated at its rate";
    }

    private static int roundUp(int n, int multiple) {
        return Math.toIntExact(((long) n + multiple - 1) / multiple * multiple);
    }
}
