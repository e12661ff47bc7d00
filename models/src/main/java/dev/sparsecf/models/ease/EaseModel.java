package dev.sparsecf.models.ease;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.RankingEvaluator;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A fitted EASE model: the {@code n x n} float32 item-item weights B (zero diagonal), dense or, from a neighbourhood
 * fit, sparse (CSR); a user's scores are {@code x_u B}. It scores, ranks and evaluates fold-in users. Not
 * thread-safe ({@link #score} reuses one buffer).
 */
public final class EaseModel implements AutoCloseable {

    /** Size of the reusable score buffer in floats (64 MB): rows per scoring batch = this / row stride. */
    private static final long SCORE_BUFFER_FLOATS = 1L << 24;

    private final DenseMatrix weights; // null when sparse
    private final CsrMatrix sparseWeights; // null when dense
    private final int neighbours; // K of a sparse B, 0 for a dense one
    private final Arena owner; // the memory B lives in (a fit's); null when B owns its memory
    private final Kernels kernels;
    private final double lambda;
    private final FitReport report; // null for a model read from a file
    private DenseMatrix scores; // reused by score(); grown on demand
    private boolean closed;

    EaseModel(DenseMatrix weights, Arena owner, Kernels kernels, double lambda, FitReport report) {
        this(weights, null, 0, owner, kernels, lambda, report);
    }

    private EaseModel(DenseMatrix weights, CsrMatrix sparseWeights, int neighbours, Arena owner, Kernels kernels,
                      double lambda, FitReport report) {
        this.weights = weights;
        this.sparseWeights = sparseWeights;
        this.neighbours = neighbours;
        this.owner = owner;
        this.kernels = kernels;
        this.lambda = lambda;
        this.report = report;
    }

    /**
     * A model of the weights {@code b} ({@code n x n}, zero diagonal, as a fit writes them; read back from a model
     * file), fitted with L2 penalty {@code lambda}; it takes ownership of {@code b} and has no fit report.
     */
    public static EaseModel of(DenseMatrix b, double lambda, Kernels kernels) {
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(kernels, "kernels");
        if (b.rows() != b.cols()) {
            throw new IllegalArgumentException("EASE: B must be square, got " + b);
        }
        return new EaseModel(b, null, kernels, lambda, null);
    }

    /**
     * A model of the sparse weights {@code b} ({@code n x n} CSR with values, zero diagonal; row i holds
     * {@code B[i, j]} for each j with i among j's {@code neighbours} K), fitted with L2 penalty {@code lambda}; it
     * takes ownership of {@code b}. {@code report} is null for a model read from a file.
     */
    public static EaseModel sparse(CsrMatrix b, Kernels kernels, double lambda, int neighbours, FitReport report) {
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(kernels, "kernels");
        if (b.rows() != b.cols() || b.isBinary() || neighbours < 1) {
            throw new IllegalArgumentException("EASE: a sparse B must be square with values and K >= 1, got " + b + ", K = "
                    + neighbours);
        }
        return new EaseModel(null, b, neighbours, null, kernels, lambda, report);
    }

    /** Number of items n. */
    public int items() {
        return weights != null ? weights.cols() : sparseWeights.cols();
    }

    /** Whether B is sparse (a neighbourhood fit). */
    public boolean isSparse() {
        return sparseWeights != null;
    }

    /** The neighbourhood size K of a sparse B; 0 for a dense one. */
    public int neighbours() {
        return neighbours;
    }

    /** The sparse B (see {@link #sparse}); owned by this model, valid until {@link #close()}. */
    public CsrMatrix sparseWeights() {
        requireOpen();
        if (sparseWeights == null) {
            throw new IllegalStateException("EASE: B is dense; see weights()");
        }
        return sparseWeights;
    }

    /** The L2 penalty B was fitted with. */
    public double lambda() {
        return lambda;
    }

    /** Phase times and memory of the fit; empty for a model read from a file. */
    public Optional<FitReport> report() {
        return Optional.ofNullable(report);
    }

    /** The dense {@code n x n} float32 weights B (zero diagonal); owned by this model, valid until {@link #close()}. */
    public DenseMatrix weights() {
        requireOpen();
        if (weights == null) {
            throw new IllegalStateException("EASE: B is sparse (K = " + neighbours + "); see sparseWeights()");
        }
        return weights;
    }

    /**
     * Scores {@code S = X_u B} of the fold-in rows ({@code users x n} CSR, usually binary) by {@link Kernels#spmm}
     * (dense B) or {@link Kernels#csrProduct} (sparse B) into a buffer this model reuses: the returned view is valid until the next call or {@link #close()}.
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
        if (weights != null) {
            kernels.spmm(foldIn, weights, null, null, view);
        } else {
            kernels.csrProduct(foldIn, sparseWeights, view);
        }
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
    public int batchRows() {
        return (int) Math.max(1, SCORE_BUFFER_FLOATS / DenseMatrix.paddedStride(items()));
    }

    /**
     * Recall and NDCG at {@code ks} ({@link RankingEvaluator#DEFAULT_KS} when empty) of the held-out users: each
     * user's fold-in items are scored, the excluded ones ({@link DataSplit.HeldOut#exclude()}) left out, the ranking
     * judged against the evaluation items.
     */
    public EvaluationResult evaluate(DataSplit.HeldOut heldOut, int... ks) {
        requireOpen();
        Objects.requireNonNull(heldOut, "heldOut");
        if (heldOut.foldIn().numItems() != items()) {
            throw new IllegalArgumentException("EASE: the held-out users have " + heldOut.foldIn().numItems()
                    + " items, the model has " + items() + " (fit on the same split's training items)");
        }
        RankingEvaluator evaluator = new RankingEvaluator(heldOut, ks);
        boolean foldInOnly = heldOut.exclude() == heldOut.foldIn();
        try (CsrMatrix foldIn = heldOut.foldIn().toCsr(); CsrMatrix exclude = foldInOnly ? null : heldOut.exclude().toCsr()) {
            int batch = batchRows();
            for (int from = 0; from < foldIn.rows(); from += batch) {
                int to = Math.min(foldIn.rows(), from + batch);
                CsrMatrix rows = foldIn.rows(from, to);
                evaluator.addScores(kernels, score(rows), foldInOnly ? rows : exclude.rows(from, to), from);
            }
        }
        return evaluator.result();
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
        if (weights != null) {
            weights.close();
        } else {
            sparseWeights.close();
        }
        if (owner != null) {
            owner.close();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Ease[%d items, lambda %s, %s%s]", items(), Lambdas.format(lambda),
                report == null ? "loaded" : report.precision().name().toLowerCase(Locale.ROOT),
                isSparse() ? ", K = " + neighbours : "");
    }
}
