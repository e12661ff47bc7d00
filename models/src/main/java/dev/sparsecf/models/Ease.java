package dev.sparsecf.models;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.eval.RankingEvaluator;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.DoubleStream;

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data", arXiv:1905.03375): item-item weights
 * {@code B[n x n]} with {@code B_ij = -P_ij / P_jj} off the diagonal and {@code B_ii = 0}, where
 * {@code P = (X^T X + lambda I)^-1} and X is the binary users x items training matrix; a user's scores are
 * {@code x_u B}.
 *
 * <p>Memory: {@link #fit} holds one {@code n x n} double buffer (the Gram matrix, inverted in place) and, in
 * float64 mode, the float32 B beside it for the final pass: {@code 12 n^2} bytes at the peak, then only B's
 * {@code 4 n^2} (41,140 items: 20.3 GB peak, 6.8 GB after). In float32 mode the buffer is converted in place and
 * B ends up in it, so the peak and the model are {@code 8 n^2} bytes. The double buffer is freed as soon as B is
 * written. An instance is not thread-safe ({@link #score} reuses one buffer).
 */
public final class Ease implements AutoCloseable {

    /** Precision of the factorisation and inverse; the Gram counts are exact either way and B is always float32. */
    public enum Precision {
        /** potrf + potri in double: the reference (Steck's numpy code inverts in float64). */
        FLOAT64,
        /**
         * spotrf + spotri in float32 on OpenBLAS only: about twice the flop rate and a lower memory peak; the
         * inverse carries about {@code n u kappa} relative error with {@code u = 2^-24} (see README for the
         * measured effect on ranking metrics).
         */
        FLOAT32
    }

    /**
     * What one fit did: its input, backend, the wall time of each phase (allocate the n x n buffer, count the
     * Gram matrix and add lambda, factorise and invert, write B) and the off-heap bytes held at the peak.
     */
    public record FitReport(int users, int items, long clicks, double lambda, Precision precision, String backend,
                            long allocateNanos, long gramNanos, long invertNanos, long finishNanos, long offHeapPeakBytes) {

        /** Wall time of the whole fit. */
        public long totalNanos() {
            return allocateNanos + gramNanos + invertNanos + finishNanos;
        }

        /** One line: shape, lambda, backend, each phase in seconds and the off-heap peak. */
        public String format() {
            return String.format(Locale.ROOT,
                    "EASE fit %,d users x %,d items (%,d clicks), lambda %s, %s on %s: allocate %.2f s, Gram %.2f s,"
                            + " factorise+invert %.2f s, finish %.2f s, total %.2f s; off-heap peak %.2f GB",
                    users, items, clicks, formatLambda(lambda), precision.name().toLowerCase(Locale.ROOT), backend,
                    allocateNanos / 1e9, gramNanos / 1e9, invertNanos / 1e9, finishNanos / 1e9, totalNanos() / 1e9,
                    offHeapPeakBytes / 1e9);
        }
    }

    /** One lambda tried by {@link #fitAndSelect}: its validation NDCG@{@value #SELECTION_K}. */
    public record Candidate(double lambda, double validationNdcg) {
    }

    /**
     * The outcome of {@link #fitAndSelect}: the model fitted with the chosen lambda (the caller closes it), that
     * lambda, its validation NDCG@{@value #SELECTION_K}, and every candidate in the order tried (the grid, then any
     * steps past its edge).
     */
    public record Selection(Ease model, double lambda, double validationNdcg, List<Candidate> candidates) {

        public Selection {
            candidates = List.copyOf(candidates);
        }

        /** Whether the chosen lambda is the smallest or the largest of two or more tried: the optimum may lie beyond. */
        public boolean atEdge() {
            return edge().isPresent();
        }

        /** Which end of two or more lambdas tried the chosen one is; empty if it lies between them. */
        public Optional<Edge> edge() {
            return edgeOf(lambda, candidates);
        }
    }

    /** An end of the lambdas tried, where the validation optimum may lie beyond the chosen lambda. */
    public enum Edge {
        SMALLEST, LARGEST;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Default bound on {@link #fitAndSelect}'s steps past the grid's edge: with a 1-2-5 grid from 100, four steps
     * reach 6.25, a 16th of the smallest given value.
     */
    public static final int DEFAULT_EDGE_STEPS = 4;

    /** The cut-off of the validation metric lambda is chosen by (NDCG@100, as Steck and Liang et al. report). */
    public static final int SELECTION_K = 100;

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    /** Rows of the double buffer start on 64-byte boundaries (whole vectors for the Java kernels). */
    private static final int LDA_DOUBLES = 8;
    /** Edge of the square tiles the final pass transposes through: a 64 x 64 double tile is 32 KB, L1-sized. */
    private static final int TILE = 64;
    /** Size of the reusable score buffer in floats (64 MB): rows per scoring batch = this / row stride. */
    private static final long SCORE_BUFFER_FLOATS = 1L << 24;

    private final DenseMatrix weights;
    private final Arena owner; // the float32 fit's buffer that B lives in; null when B owns its memory
    private final Kernels kernels;
    private final FitReport report;
    private DenseMatrix scores; // reused by score(); grown on demand
    private boolean closed;

    private Ease(DenseMatrix weights, Arena owner, Kernels kernels, FitReport report) {
        this.weights = weights;
        this.owner = owner;
        this.kernels = kernels;
        this.report = report;
    }

    /** {@link #fit(CsrMatrix, double, Precision, Kernels, Consumer)} in float64. */
    public static Ease fit(CsrMatrix x, double lambda, Kernels kernels, Consumer<String> progress) {
        return fit(x, lambda, Precision.FLOAT64, kernels, progress);
    }

    /**
     * Fits B to the binary {@code users x items} matrix {@code x} with L2 penalty {@code lambda}: Gram matrix by
     * {@link Kernels#gram}, inverse by {@link Kernels#invertSpd} (OpenBLAS or the Java kernels, per {@code -Dsparsecf.blas}), then B; one line per phase
     * goes to {@code progress}.
     *
     * @throws IllegalArgumentException if lambda is not a positive finite number, x is weighted or has no items, or
     *                                  float32 is asked of a backend without a float32 inverse
     */
    public static Ease fit(CsrMatrix x, double lambda, Precision precision, Kernels kernels, Consumer<String> progress) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(progress, "progress");
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("EASE: lambda must be a positive finite number (the L2 penalty that makes"
                    + " X^T X + lambda I invertible), got " + lambda);
        }
        if (!x.isBinary()) {
            throw new IllegalArgumentException("EASE: X must be binary implicit feedback, got a weighted " + x);
        }
        int n = x.cols();
        if (n < 1) {
            throw new IllegalArgumentException("EASE: X has no item columns: " + x);
        }
        if (precision == Precision.FLOAT32 && !kernels.hasFloatInverse()) {
            throw new IllegalArgumentException("EASE: the float32 factorisation needs OpenBLAS (-Dsparsecf.blas=openblas);"
                    + " the " + kernels.denseImplementationName() + " backend inverts in double only, use float64");
        }
        int lda = roundUp(n, LDA_DOUBLES);
        long bufferBytes = (long) n * lda * Double.BYTES;
        String backend = kernels.denseImplementationName();
        progress.accept(String.format(Locale.ROOT, "EASE: %,d users x %,d items, %,d clicks, lambda %s, %s on %s;"
                        + " n x n buffer %.2f GB", x.rows(), n, x.nnz(), formatLambda(lambda), precision.name().toLowerCase(Locale.ROOT),
                backend, bufferBytes / 1e9));

        long t0 = System.nanoTime();
        Arena arena = Arena.ofShared(); // the kernels' worker threads read and write it
        boolean arenaOwnedByModel = false;
        DenseMatrix b = null;
        try {
            MemorySegment g = arena.allocate(bufferBytes, 64);
            long t1 = System.nanoTime();
            kernels.gram(x, g, lda);
            for (int i = 0; i < n; i++) {
                long ii = (long) i * lda + i;
                g.setAtIndex(D, ii, g.getAtIndex(D, ii) + lambda);
            }
            long t2 = System.nanoTime();
            progress.accept(String.format(Locale.ROOT, "EASE: Gram X^T X + lambda I in %.2f s (allocation %.2f s)",
                    (t2 - t1) / 1e9, (t1 - t0) / 1e9));

            long t3;
            long offHeapPeak;
            if (precision == Precision.FLOAT64) {
                kernels.invertSpd(g, n, lda, false);
                t3 = System.nanoTime();
                progress.accept(String.format(Locale.ROOT, "EASE: factorise+invert (float64) in %.2f s", (t3 - t2) / 1e9));
                double[] scale = negatedReciprocalDiagonal(g, D, n, lda);
                b = DenseMatrix.allocate(n, n);
                offHeapPeak = bufferBytes + (long) n * b.ld() * Float.BYTES;
                writeWeights(g, D, lda, scale, b, kernels.pool());
            } else {
                int ldb = DenseMatrix.paddedStride(n);
                toFloatInPlace(g, n, lda, ldb);
                b = DenseMatrix.wrap(g, n, n, ldb);
                kernels.invertSpdFloat(b, false);
                t3 = System.nanoTime();
                progress.accept(String.format(Locale.ROOT, "EASE: float32 conversion + factorise+invert in %.2f s",
                        (t3 - t2) / 1e9));
                double[] scale = negatedReciprocalDiagonal(g, F, n, ldb);
                writeWeights(g, F, ldb, scale, b, kernels.pool());
                offHeapPeak = bufferBytes;
            }
            long t4 = System.nanoTime();
            FitReport report = new FitReport(x.rows(), n, x.nnz(), lambda, precision, backend, t1 - t0, t2 - t1,
                    t3 - t2, t4 - t3, offHeapPeak);
            Runtime rt = Runtime.getRuntime();
            progress.accept(String.format(Locale.ROOT, "EASE: B written in %.2f s; total %.2f s; off-heap peak %.2f GB,"
                            + " Java heap in use %.2f GB", (t4 - t3) / 1e9, report.totalNanos() / 1e9, offHeapPeak / 1e9,
                    (rt.totalMemory() - rt.freeMemory()) / 1e9));
            Ease model = new Ease(b, precision == Precision.FLOAT32 ? arena : null, kernels, report);
            arenaOwnedByModel = precision == Precision.FLOAT32;
            return model;
        } catch (RuntimeException | Error e) {
            if (b != null) {
                b.close(); // float64: B's own memory; float32: a view, closed with the arena below
            }
            throw e;
        } finally {
            if (!arenaOwnedByModel) {
                arena.close(); // frees the double buffer: B is written (or the fit failed)
            }
        }
    }

    /** {@code -1 / P_jj} for every j, checking that the inverse's diagonal is positive and finite. */
    private static double[] negatedReciprocalDiagonal(MemorySegment p, ValueLayout layout, int n, int ldp) {
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) {
            long jj = (long) j * ldp + j;
            double d = layout == D ? p.getAtIndex(D, jj) : p.getAtIndex(F, jj);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalStateException("EASE: diagonal " + j + " of (X^T X + lambda I)^-1 is " + d
                        + ", not a positive number; the inverse lost all accuracy (raise lambda or use float64)");
            }
            scale[j] = -1 / d;
        }
        return scale;
    }

    /**
     * {@code B_ij = P_ij * scale_j}, {@code B_ji = P_ij * scale_i} for {@code i < j} and {@code B_ii = 0}, reading
     * only the upper triangle of P ({@code ldp}, double or float). Threads take tile rows I and write the tiles
     * (I, J) and (J, I) for J >= I, so no two threads touch the same element, and B may be P's own float buffer:
     * each P_ij is read before B_ij overwrites it, and the lower triangle of P is never read.
     */
    private static void writeWeights(MemorySegment p, ValueLayout layout, int ldp, double[] scale, DenseMatrix b,
                                     KernelThreads pool) {
        int n = b.cols();
        long ldb = b.ld();
        MemorySegment bs = b.segment();
        boolean doubles = layout == D;
        int tiles = (n + TILE - 1) / TILE;
        pool.forRange(tiles, 1, (from, to) -> {
            for (int ti = from; ti < to; ti++) {
                int i0 = ti * TILE;
                int i1 = Math.min(n, i0 + TILE);
                for (int j0 = i0; j0 < n; j0 += TILE) {
                    int j1 = Math.min(n, j0 + TILE);
                    for (int i = i0; i < i1; i++) {
                        long row = (long) i * ldp;
                        for (int j = Math.max(j0, i + 1); j < j1; j++) {
                            double pij = doubles ? p.getAtIndex(D, row + j) : p.getAtIndex(F, row + j);
                            bs.setAtIndex(F, i * ldb + j, (float) (pij * scale[j]));
                            bs.setAtIndex(F, j * ldb + i, (float) (pij * scale[i]));
                        }
                    }
                }
                for (int i = i0; i < i1; i++) {
                    bs.setAtIndex(F, i * ldb + i, 0f);
                }
            }
        });
    }

    /**
     * Rewrites the upper triangle of the double matrix (leading dimension {@code lda}) as a float matrix with
     * leading dimension {@code ldf <= 2 lda} in the same memory, zeros elsewhere (lower triangle, row padding).
     * Row by row in ascending order is safe: float row i ends at byte {@code 4 (i + 1) ldf <= 8 (i + 1) lda},
     * where double row i + 1 starts, and row i itself is copied out before it is overwritten.
     */
    private static void toFloatInPlace(MemorySegment g, int n, int lda, int ldf) {
        if (ldf > 2L * lda) {
            throw new IllegalStateException("float stride " + ldf + " exceeds twice the double stride " + lda);
        }
        double[] upper = new double[n];
        float[] row = new float[ldf];
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(g, D, ((long) i * lda + i) * Double.BYTES, upper, 0, n - i);
            for (int j = i; j < n; j++) {
                row[j] = (float) upper[j - i];
            }
            MemorySegment.copy(row, 0, g, F, (long) i * ldf * Float.BYTES, ldf);
            row[i] = 0f; // row[0..i] stays zero for the next (longer) lower part
        }
    }

    private static int roundUp(int n, int multiple) {
        return Math.toIntExact(((long) n + multiple - 1) / multiple * multiple);
    }

    // ------------------------------------------------------------------------------------------------ scoring

    /** Number of items n. */
    public int items() {
        return weights.cols();
    }

    /** The L2 penalty B was fitted with. */
    public double lambda() {
        return report.lambda();
    }

    /** Phase times and memory of the fit. */
    public FitReport report() {
        return report;
    }

    /** The {@code n x n} float32 weights B (zero diagonal); owned by this model, valid until {@link #close()}. */
    public DenseMatrix weights() {
        requireOpen();
        return weights;
    }

    /**
     * Scores {@code S = X_u B} of the fold-in rows ({@code users x n} CSR, usually binary) by {@link Kernels#spmm}
     * into a buffer this model reuses: the returned view is valid until the next call or {@link #close()}.
     */
    public DenseMatrix score(CsrMatrix foldIn) {
        requireOpen();
        Objects.requireNonNull(foldIn, "foldIn");
        if (foldIn.cols() != items()) {
            throw new IllegalArgumentException("EASE: fold-in rows have " + foldIn.cols() + " item columns, the model has "
                    + items() + " items");
        }
        int rows = foldIn.rows();
        if (scores == null || scores.rows() < rows) {
            if (scores != null) {
                scores.close();
                scores = null;
            }
            scores = DenseMatrix.allocate(Math.max(rows, batchRows()), items());
        }
        DenseMatrix view = scores.rows(0, rows);
        kernels.spmm(foldIn, weights, null, null, view);
        return view;
    }

    /** The top {@code k} items of each fold-in row by {@link #score}, its own items excluded (m*k ints, -1 pads). */
    public int[] topK(CsrMatrix foldIn, int k) {
        DenseMatrix s = score(foldIn);
        int[] out = new int[Math.multiplyExact(foldIn.rows(), k)];
        kernels.topK(s, foldIn, k, out);
        return out;
    }

    /** Users per scoring batch: as many as fit the 64 MB score buffer. */
    private int batchRows() {
        return (int) Math.max(1, SCORE_BUFFER_FLOATS / DenseMatrix.paddedStride(items()));
    }

    /**
     * Recall and NDCG at {@code ks} ({@link RankingEvaluator#DEFAULT_KS} when empty) of the held-out users: each
     * user's fold-in items are scored and excluded, the ranking is judged against the evaluation items.
     */
    public EvaluationResult evaluate(DataSplit.HeldOut heldOut, int... ks) {
        requireOpen();
        Objects.requireNonNull(heldOut, "heldOut");
        if (heldOut.foldIn().numItems() != items()) {
            throw new IllegalArgumentException("EASE: the held-out users have " + heldOut.foldIn().numItems()
                    + " items, the model has " + items() + " (fit on the same split's training items)");
        }
        RankingEvaluator evaluator = new RankingEvaluator(heldOut, ks);
        try (CsrMatrix foldIn = heldOut.foldIn().toCsr()) {
            int batch = batchRows();
            for (int from = 0; from < foldIn.rows(); from += batch) {
                CsrMatrix rows = foldIn.rows(from, Math.min(foldIn.rows(), from + batch));
                evaluator.addScores(kernels, score(rows), rows, from);
            }
        }
        return evaluator.result();
    }

    // ------------------------------------------------------------------------------------------ lambda selection

    /** {@link #fitAndSelect(DataSplit, double[], int, Precision, Kernels, Consumer)} in float64. */
    public static Selection fitAndSelect(DataSplit split, double[] lambdas, int edgeSteps, Kernels kernels,
                                         Consumer<String> log) {
        return fitAndSelect(split, lambdas, edgeSteps, Precision.FLOAT64, kernels, log);
    }

    /**
     * Fits on the training users for each lambda and keeps the one with the best validation NDCG@{@value #SELECTION_K}
     * (the first on ties), as in Liang et al.'s and Steck's protocol: the held-out validation users are never
     * trained on, their fold-in rows are scored. If the best of two or more distinct lambdas is the smallest (or the
     * largest), the search goes on past that edge, each step by the ratio of the grid's two outermost lambdas there
     * (100, 200, ... goes on to 50, 25, ...), until a step is no better or {@code edgeSteps} steps are taken; if the
     * best is still at the edge then, the log says so. At most one model is in memory while fitting; the chosen one
     * is fitted again at the end unless it was the last one tried.
     *
     * @throws IllegalArgumentException as {@link #checkLambdaSearch}, or if the validation set has no evaluated users
     */
    public static Selection fitAndSelect(DataSplit split, double[] lambdas, int edgeSteps, Precision precision,
                                         Kernels kernels, Consumer<String> log) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(log, "log");
        checkLambdaSearch(lambdas, edgeSteps);
        if (split.validation().evaluatedUsers() == 0) {
            throw new IllegalArgumentException("EASE: the validation set has no users with evaluation items, so lambda"
                    + " cannot be chosen: " + split.summary());
        }
        LambdaSearch search = new LambdaSearch(split, precision, kernels, log);
        try (search; CsrMatrix train = split.train().toCsr()) {
            for (double lambda : lambdas) {
                search.tryLambda(train, lambda);
            }
            double[] grid = DoubleStream.of(lambdas).distinct().sorted().toArray();
            int n = grid.length;
            for (int step = 0; step < edgeSteps && n >= 2; step++) {
                double chosen = search.best().lambda();
                Optional<Edge> edge = edgeOf(chosen, search.candidates);
                if (edge.isEmpty()) {
                    break;
                }
                double next = edge.get() == Edge.SMALLEST ? chosen * grid[0] / grid[1] : chosen * grid[n - 1] / grid[n - 2];
                log.accept(String.format(Locale.ROOT, "EASE: the best lambda %s is the %s tried; trying %s",
                        formatLambda(chosen), edge.get(), formatLambda(next)));
                search.tryLambda(train, next);
            }
            Selection selection = search.select(train);
            selection.edge().ifPresent(edge -> log.accept(String.format(Locale.ROOT, "EASE: warning: the chosen lambda"
                            + " %s is the %s tried, so the validation optimum may lie beyond it; allow more edge steps or"
                            + " widen the grid", formatLambda(selection.lambda()), edge)));
            return selection;
        }
    }

    /**
     * Checks {@link #fitAndSelect}'s grid and edge steps, so that a caller can reject them before hours of other
     * work (and {@code fitAndSelect} before fitting any lambda: {@code fit} would only find a bad one in turn).
     *
     * @throws IllegalArgumentException if {@code lambdas} is empty or holds a lambda that is not positive and
     *                                  finite, or {@code edgeSteps} is negative
     */
    public static void checkLambdaSearch(double[] lambdas, int edgeSteps) {
        Objects.requireNonNull(lambdas, "lambdas");
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("EASE: no lambda to choose from");
        }
        for (double lambda : lambdas) {
            if (!(lambda > 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("EASE: every lambda must be a positive finite number, got " + lambda);
            }
        }
        if (edgeSteps < 0) {
            throw new IllegalArgumentException("EASE: the steps past the grid's edge must be >= 0, got " + edgeSteps);
        }
    }

    /** Which end of two or more distinct lambdas among {@code candidates} {@code lambda} is, if either. */
    private static Optional<Edge> edgeOf(double lambda, List<Candidate> candidates) {
        DoubleSummaryStatistics tried = candidates.stream().mapToDouble(Candidate::lambda).summaryStatistics();
        if (tried.getMin() == tried.getMax()) {
            return Optional.empty();
        }
        return lambda == tried.getMin() ? Optional.of(Edge.SMALLEST)
                : lambda == tried.getMax() ? Optional.of(Edge.LARGEST) : Optional.empty();
    }

    /** A lambda as short as it is exact (100, 12.5, 6.25), as every log line and report prints it. */
    public static String formatLambda(double lambda) {
        return Double.isFinite(lambda) ? BigDecimal.valueOf(lambda).stripTrailingZeros().toPlainString()
                : Double.toString(lambda);
    }

    /** The candidates of one {@link #fitAndSelect} call and the model of the last one tried (the only one kept). */
    private static final class LambdaSearch implements AutoCloseable {
        private final DataSplit split;
        private final Precision precision;
        private final Kernels kernels;
        private final Consumer<String> log;
        private final List<Candidate> candidates = new ArrayList<>();
        private Ease last;
        private int best = -1;

        LambdaSearch(DataSplit split, Precision precision, Kernels kernels, Consumer<String> log) {
            this.split = split;
            this.precision = precision;
            this.kernels = kernels;
            this.log = log;
        }

        void tryLambda(CsrMatrix train, double lambda) {
            close(); // frees the previous model before the next fit allocates its own
            last = fit(train, lambda, precision, kernels, msg -> { });
            double ndcg = last.evaluate(split.validation(), SELECTION_K).mean(Metric.NDCG, SELECTION_K);
            candidates.add(new Candidate(lambda, ndcg));
            if (best < 0 || ndcg > best().validationNdcg()) {
                best = candidates.size() - 1;
            }
            log.accept(String.format(Locale.ROOT, "EASE lambda %s: validation NDCG@%d = %.4f (fit %.1f s)%s", formatLambda(lambda),
                    SELECTION_K, ndcg, last.report().totalNanos() / 1e9,
                    best == candidates.size() - 1 ? " (best so far)" : ""));
        }

        Candidate best() {
            return candidates.get(best);
        }

        /** The selection; its model is the last one fitted if that is the best, else the best fitted again. */
        Selection select(CsrMatrix train) {
            Ease model;
            if (best == candidates.size() - 1) {
                model = last;
                last = null;
            } else {
                close();
                log.accept("EASE: refitting the chosen lambda " + formatLambda(best().lambda()));
                // quiet like every fit of the search: the line above announces it
                model = fit(train, best().lambda(), precision, kernels, msg -> { });
            }
            return new Selection(model, best().lambda(), best().validationNdcg(), candidates);
        }

        @Override
        public void close() {
            if (last != null) {
                last.close();
                last = null;
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("EASE model is closed");
        }
    }

    /** Frees B and the score buffer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scores != null) {
            scores.close();
        }
        weights.close();
        if (owner != null) {
            owner.close();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Ease[%d items, lambda %s, %s]", items(), formatLambda(lambda()),
                report.precision().name().toLowerCase(Locale.ROOT));
    }
}
