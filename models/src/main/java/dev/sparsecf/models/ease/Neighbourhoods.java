package dev.sparsecf.models.ease;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.SparseGram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Neighbourhood-restricted EASE: column j of B is supported on the set N(j) of the K items that co-occur with j most
 * (j excluded; {@link Kernels#neighbours}), {@code b_N = (G_NN + lambda I)^-1 G_Nj}, one K x K SPD solve per item
 * ({@link Kernels#solveSpdBatch}): the ridge regression of item j on N(j). By the block inverse of
 * {@code P = (G + lambda I)^-1}, dense EASE's column {@code -P_{-j,j} / P_jj} is the same regression on all other
 * items, so with {@code K = n - 1} (every other item a neighbour) B is dense EASE's.
 *
 * <p>{@link #prepare} counts the sparse Gram matrix and picks the neighbours once; {@link #fit} solves for one lambda
 * (the lambda search fits several on one preparation). Memory: the sparse Gram (8 bytes per co-occurring pair),
 * N and B (8 bytes per neighbour each), and one batch of systems (at most {@value #BATCH_BYTES} bytes, or one system).
 */
public final class Neighbourhoods implements AutoCloseable {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** Bytes of systems solved per batch: enough systems to keep every thread busy, few enough to stay small. */
    private static final long BATCH_BYTES = 256L << 20;
    /** At most one progress line per 5 s. */
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final SparseGram gram;
    private final CsrMatrix neighbours;
    private final int k;
    private final int emptyColumns;
    private final long prepareNanos;
    private final Kernels kernels;
    private final int users;
    private final long clicks;

    private Neighbourhoods(SparseGram gram, CsrMatrix neighbours, int k, int emptyColumns, long prepareNanos,
                           Kernels kernels, int users, long clicks) {
        this.gram = gram;
        this.neighbours = neighbours;
        this.k = k;
        this.emptyColumns = emptyColumns;
        this.prepareNanos = prepareNanos;
        this.kernels = kernels;
        this.users = users;
        this.clicks = clicks;
    }

    /**
     * Counts the sparse Gram matrix of the binary {@code x} and picks each item's {@code k} neighbours; a {@code k}
     * of n or more is clamped to {@code n - 1} with a notice to {@code progress}.
     *
     * @throws IllegalArgumentException if k < 1, x is weighted or has no items
     */
    public static Neighbourhoods prepare(CsrMatrix x, int k, Kernels kernels, Consumer<String> progress) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(progress, "progress");
        if (k < 1) {
            throw new IllegalArgumentException("EASE: the neighbourhood size K must be >= 1, got " + k);
        }
        if (!x.isBinary()) {
            throw new IllegalArgumentException("EASE: X must be binary implicit feedback, got a weighted " + x);
        }
        int n = x.cols();
        if (n < 1) {
            throw new IllegalArgumentException("EASE: X has no item columns: " + x);
        }
        int kk = k;
        if (k > n - 1) {
            kk = Math.max(1, n - 1);
            progress.accept(String.format(Locale.ROOT, "EASE: K = %,d neighbours is more than the %,d other items; using"
                    + " K = %,d (every other item: dense EASE)", k, n - 1, kk));
        }
        long t0 = System.nanoTime();
        return of(kernels.sparseGram(x), kk, kernels, x.rows(), x.nnz(), t0, progress);
    }

    /**
     * Picks each item's {@code k} neighbours (at most n - 1) in a sparse Gram counted elsewhere (the Spark path's
     * cooccur) over {@code users} users and {@code clicks} clicks; takes ownership of {@code gram}.
     */
    public static Neighbourhoods of(SparseGram gram, int k, Kernels kernels, int users, long clicks, Consumer<String> progress) {
        return of(gram, Math.clamp(k, 1, Math.max(1, gram.items() - 1)), kernels, users, clicks, System.nanoTime(), progress);
    }

    private static Neighbourhoods of(SparseGram gram, int kk, Kernels kernels, int users, long clicks, long t0,
                                     Consumer<String> progress) {
        int n = gram.items();
        CsrMatrix nb = null;
        try {
            nb = kernels.neighbours(gram, kk);
            int empty = 0;
            for (int j = 0; j < n; j++) {
                empty += gram.offDiagonal().rowNnz(j) == 0 ? 1 : 0;
            }
            long t1 = System.nanoTime();
            progress.accept(String.format(Locale.ROOT, "EASE: sparse Gram %,d co-occurring pairs (%.2f GB), %,d"
                            + " neighbours (K = %,d) in %.2f s%s", gram.offDiagonal().nnz(),
                    gram.offDiagonal().nnz() * 8e-9, nb.nnz(), kk, (t1 - t0) / 1e9, emptyNote(empty)));
            return new Neighbourhoods(gram, nb, kk, empty, t1 - t0, kernels, users, clicks);
        } catch (RuntimeException | Error e) {
            if (nb != null) {
                nb.close();
            }
            gram.close();
            throw e;
        }
    }

    private static String emptyNote(int empty) {
        return empty == 0 ? "" : String.format(Locale.ROOT, "; %,d item%s co-occur%s with no other item: %s column%s"
                        + " of B %s zero", empty, empty == 1 ? "" : "s", empty == 1 ? "s" : "", empty == 1 ? "its" : "their",
                empty == 1 ? "" : "s", empty == 1 ? "is" : "are");
    }

    /** The neighbourhood size K (after clamping). */
    public int k() {
        return k;
    }

    /** Items that co-occur with no other item: their columns of B are zero. */
    public int emptyColumns() {
        return emptyColumns;
    }

    /**
     * Solves every item's neighbourhood system with L2 penalty {@code lambda} (float64) and returns the model with
     * the sparse float32 B.
     *
     * @throws IllegalArgumentException if lambda is not a positive finite number
     */
    public EaseModel fit(double lambda, Consumer<String> progress) {
        long t0 = System.nanoTime();
        float[] columns = columns(lambda, 0, gram.items(), progress);
        return model(lambda, columns, System.nanoTime() - t0, progress);
    }

    /**
     * The solutions {@code b_N(j)} of items {@code from <= j < to}, concatenated in N(j)'s order: what one task of a
     * fit distributed over items computes ({@link #model} assembles B from all of them).
     *
     * @throws IllegalArgumentException if lambda is not a positive finite number or the range is not one of items
     */
    public float[] columns(double lambda, int fromItem, int toItem, Consumer<String> progress) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("EASE: lambda must be a positive finite number, got " + lambda);
        }
        int n = gram.items();
        Objects.checkFromToIndex(fromItem, toItem, n);
        int lda = systemLda();
        long systemBytes = (long) lda * lda * Double.BYTES;
        int batch = batch(systemBytes);
        long t0 = System.nanoTime();
        int base = neighbours.rowStart(fromItem);
        float[] columns = new float[neighbours.rowStart(toItem) - base]; // B^T: row j = b_N(j), at N(j)'s positions
        ConcurrentLinkedQueue<int[]> positions = new ConcurrentLinkedQueue<>();
        long last = t0;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(systemBytes * batch, 64);
            MemorySegment b = arena.allocate((long) lda * batch * Double.BYTES, 64);
            int[] orders = new int[batch];
            for (int start = fromItem; start < toItem; start += batch) {
                int count = Math.min(batch, toItem - start);
                int first = start;
                int ld = lda;
                kernels.pool().forRange(count, 1, (from, to) -> {
                    int[] pos = borrow(positions, n);
                    for (int s = from; s < to; s++) {
                        orders[s] = buildSystem(first + s, lambda, a.asSlice(s * systemBytes, systemBytes),
                                b.asSlice((long) s * ld * Double.BYTES, (long) ld * Double.BYTES), ld, pos);
                    }
                    positions.add(pos);
                });
                kernels.solveSpdBatch(a, b, orders, count, lda);
                for (int s = 0; s < count; s++) {
                    int at = neighbours.rowStart(start + s) - base;
                    for (int t = 0; t < orders[s]; t++) {
                        columns[at + t] = (float) b.getAtIndex(D, (long) s * lda + t);
                    }
                }
                long now = System.nanoTime();
                if (now - last >= PROGRESS_EVERY_NANOS && start + count < toItem) {
                    last = now;
                    double done = (double) (start + count - fromItem) / (toItem - fromItem);
                    double seconds = (now - t0) / 1e9;
                    progress.accept(String.format(Locale.ROOT, "EASE: solves %.0f%% (%,d of %,d items) after %.0f s,"
                            + " about %.0f s left", 100 * done, start + count - fromItem, toItem - fromItem, seconds, seconds * (1 - done) / done));
                }
            }
        }
        return columns;
    }

    /**
     * The model from every item's solution ({@link #columns} over all items, concatenated in item order), solved in
     * {@code solveNanos}.
     */
    public EaseModel model(double lambda, float[] columns, long solveNanos, Consumer<String> progress) {
        if (columns.length != neighbours.nnz()) {
            throw new IllegalArgumentException("EASE: " + columns.length + " solution values for " + neighbours.nnz() + " neighbours");
        }
        int n = gram.items();
        long systemBytes = (long) systemLda() * systemLda() * Double.BYTES;
        long t0 = System.nanoTime();
        CsrMatrix weights = transpose(columns, n);
        long transposeNanos = System.nanoTime() - t0;
        int batch = batch(systemBytes);
        long peak = gram.offDiagonal().nnz() * 8 + neighbours.nnz() * 4 + systemBytes * batch + neighbours.nnz() * 16;
        FitReport report = new FitReport(users, n, clicks, lambda, Precision.FLOAT64,
                "neighbourhoods, solves on " + kernels.denseImplementationName(), 0, prepareNanos, solveNanos, transposeNanos, peak, k, emptyColumns);
        progress.accept(String.format(Locale.ROOT, "EASE: %,d neighbourhood solves in %.2f s, B (%,d non-zeros) in %.2f s",
                n, solveNanos / 1e9, weights.nnz(), transposeNanos / 1e9));
        return EaseModel.sparse(weights, kernels, lambda, k, report);
    }

    /** The leading dimension of every system: the largest |N(j)|, rows on 64-byte boundaries. */
    private int systemLda() {
        int lda = 1;
        for (int j = 0; j < gram.items(); j++) {
            lda = Math.max(lda, neighbours.rowNnz(j));
        }
        return (lda + 7) / 8 * 8;
    }

    private int batch(long systemBytes) {
        return (int) Math.clamp(BATCH_BYTES / systemBytes, 1, gram.items());
    }

    /**
     * Writes item j's system into {@code a} (upper triangle, {@code G_NN + lambda I}) and {@code b} ({@code G_Nj});
     * returns its order |N(j)|. {@code pos} (n ints, all -1) maps an item to its place in N(j) and is restored.
     */
    private int buildSystem(int j, double lambda, MemorySegment a, MemorySegment b, int lda, int[] pos) {
        CsrMatrix g = gram.offDiagonal();
        int start = neighbours.rowStart(j);
        int order = neighbours.rowNnz(j);
        for (int t = 0; t < order; t++) {
            pos[neighbours.col(start + t)] = t;
        }
        a.asSlice(0, (long) order * lda * Double.BYTES).fill((byte) 0);
        b.asSlice(0, (long) order * Double.BYTES).fill((byte) 0);
        for (int t = 0; t < order; t++) {
            int item = neighbours.col(start + t);
            long row = (long) t * lda;
            a.setAtIndex(D, row + t, gram.diagonal()[item] + lambda);
            int from = g.rowStart(item);
            int to = g.rowEnd(item);
            int later = order - t - 1; // the upper triangle needs the neighbours after t only
            if ((long) later * (32 - Integer.numberOfLeadingZeros(to - from + 1)) < to - from) {
                for (int u = t + 1, p = from; u < order && p < to; u++) { // few neighbours, a long row: search
                    p = lowerBound(g, p, to, neighbours.col(start + u));
                    if (p < to && g.col(p) == neighbours.col(start + u)) {
                        a.setAtIndex(D, row + u, g.value(p));
                    }
                }
            } else {
                for (int p = from; p < to; p++) { // walk the row, keep the neighbours
                    int u = pos[g.col(p)];
                    if (u > t) {
                        a.setAtIndex(D, row + u, g.value(p));
                    }
                }
            }
        }
        for (int p = g.rowStart(j); p < g.rowEnd(j); p++) {
            int u = pos[g.col(p)];
            if (u >= 0) {
                b.setAtIndex(D, u, g.value(p));
            }
        }
        for (int t = 0; t < order; t++) {
            pos[neighbours.col(start + t)] = -1;
        }
        return order;
    }

    /** The first position in {@code [from, to)} of g's columns that is at least {@code item}. */
    private static int lowerBound(CsrMatrix g, int from, int to, int item) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (g.col(mid) < item) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int[] borrow(ConcurrentLinkedQueue<int[]> positions, int n) {
        int[] pos = positions.poll();
        if (pos == null) {
            pos = new int[n];
            java.util.Arrays.fill(pos, -1);
        }
        return pos;
    }

    /** B from its columns: row i of B holds {@code (j, b_j[i])} for every j with i in N(j), columns sorted. */
    private CsrMatrix transpose(float[] columns, int n) {
        int[] rowPtr = new int[n + 1];
        for (long p = 0; p < neighbours.nnz(); p++) {
            rowPtr[neighbours.col((int) p) + 1]++;
        }
        for (int i = 0; i < n; i++) {
            rowPtr[i + 1] += rowPtr[i];
        }
        int[] fill = java.util.Arrays.copyOf(rowPtr, n);
        int[] cols = new int[columns.length];
        float[] values = new float[columns.length];
        for (int j = 0; j < n; j++) { // j ascending: each row's columns come out sorted
            for (int p = neighbours.rowStart(j); p < neighbours.rowEnd(j); p++) {
                int at = fill[neighbours.col(p)]++;
                cols[at] = j;
                values[at] = columns[p];
            }
        }
        return CsrMatrix.of(n, n, rowPtr, cols, values);
    }

    /** Frees the sparse Gram matrix and the neighbour sets. */
    @Override
    public void close() {
        neighbours.close();
        gram.close();
    }
}
