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
 * (the lambda search fits several on one preparation). Memory: the sparse Gram (8 bytes per co-occurring pair, or
 * per kept pair when its rows are capped at their top M: at most {@code 8 n M}), N and B (8 bytes per neighbour
 * each), and one batch of systems (at most {@value #BATCH_BYTES} bytes, or one system).
 */
public final class Neighbourhoods implements AutoCloseable {

    /**
     * K when none is given ({@code --neighbors} alone): within 0.0025 test NDCG@100 (0.004 Recall@20) of dense EASE
     * on ML-1M, Last.fm and CiteULike-a (results/sparse-ease/README.md).
     */
    public static final int DEFAULT_K = 500;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** Bytes of systems solved per batch: enough systems to keep every thread busy, few enough to stay small. */
    private static final long BATCH_BYTES = 256L << 20;
    /**
     * Without an explicit cap, the Gram matrix is whole when an upper bound on its size ({@link #pairBound}, 8 bytes
     * a pair) fits in this many bytes, else each row keeps its top {@link #CAP_PER_K} K items.
     */
    static final long WHOLE_GRAM_BYTES = 2L << 30;
    /**
     * The default cap M of a Gram row, per neighbour: N(j) is row j's top K, so M >= K keeps every right-hand side
     * G_Nj exact, and a neighbour pair is exact when either is among the other's top 2K. Memory is 16 n K bytes and
     * building a system scatters K rows of at most M = 2K entries twice, 4 K^2 against the solve's K^3 / 3 flops.
     */
    static final int CAP_PER_K = 2;
    /** Tile edge of the symmetrizing pass over a capped system's scratch (16 x 16 doubles: 2 KB, in L1). */
    private static final int SYMMETRIZE_TILE = 16;
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
     * of n or more is clamped to {@code n - 1} with a notice to {@code progress}. The Gram matrix is whole unless a
     * bound on its size passes {@value #WHOLE_GRAM_BYTES} bytes; then its rows are capped at {@code 2k} items.
     *
     * @throws IllegalArgumentException if k < 1, x is weighted or has no items
     */
    public static Neighbourhoods prepare(CsrMatrix x, int k, Kernels kernels, Consumer<String> progress) {
        Objects.requireNonNull(x, "x");
        return prepare(x, k, pairBound(x) * 8 <= WHOLE_GRAM_BYTES ? Integer.MAX_VALUE : CAP_PER_K * Math.max(1, k), kernels,
                progress);
    }

    /**
     * An upper bound on the sparse Gram's off-diagonal pairs, in one pass over the clicks: item i co-occurs with at
     * most {@code min(n - 1, sum of its users' row lengths)} items.
     */
    static long pairBound(CsrMatrix x) {
        int n = x.cols();
        long[] reach = new long[n];
        for (int u = 0; u < x.rows(); u++) {
            int len = x.rowNnz(u);
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                reach[x.col(p)] += len - 1;
            }
        }
        long pairs = 0;
        for (long r : reach) {
            pairs += Math.min(n - 1, r);
        }
        return pairs;
    }

    /**
     * As {@link #prepare(CsrMatrix, int, Kernels, Consumer)} with each row of the sparse Gram matrix capped at its
     * {@code cap} most co-occurring items ({@link Kernels#sparseGram(CsrMatrix, int)}; raised to K if below):
     * {@code G_NN} is then exact where either item is among the other's top {@code cap}; a pair in neither is 0 and
     * the bound on its lost count is added to both diagonals (keeps every system positive definite). The Gram
     * matrix takes at most {@code 8 n cap} bytes. A cap of n - 1 or more is the exact path.
     */
    public static Neighbourhoods prepare(CsrMatrix x, int k, int cap, Kernels kernels, Consumer<String> progress) {
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
        int m = Math.max(kk, cap);
        progress.accept(String.format(Locale.ROOT, "EASE: counting the sparse Gram matrix of %,d items, %,d clicks%s ...",
                n, x.nnz(), m < n - 1 ? String.format(Locale.ROOT, ", each row's top %,d co-occurring items", m) : ""));
        return of(kernels.sparseGram(x, m), kk, kernels, x.rows(), x.nnz(), t0, progress);
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
            progress.accept(String.format(Locale.ROOT, "EASE: sparse Gram %,d co-occurring pairs (%.2f GB%s), %,d"
                            + " neighbours (K = %,d) in %.2f s%s", gram.offDiagonal().nnz(),
                    gram.offDiagonal().nnz() * 8e-9, capNote(gram), nb.nnz(), kk, (t1 - t0) / 1e9, emptyNote(empty)));
            return new Neighbourhoods(gram, nb, kk, empty, t1 - t0, kernels, users, clicks);
        } catch (RuntimeException | Error e) {
            if (nb != null) {
                nb.close();
            }
            gram.close();
            throw e;
        }
    }

    /** Where G_NN is exact: everywhere, or where either item is among the other's top M (rows capped). */
    private static String capNote(SparseGram gram) {
        return gram.cappedRows() == 0 ? "; G_NN exact" : String.format(Locale.ROOT, "; %,d rows capped at their top M ="
                + " %,d items: G_NN exact where either item is among the other's top %,d; a pair in neither is 0, the"
                + " bound on its count added to both diagonals", gram.cappedRows(), gram.cap(), gram.cap());
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

    private int longestGramRow() {
        int longest = 0;
        for (int i = 0; i < gram.items(); i++) {
            longest = Math.max(longest, gram.offDiagonal().rowNnz(i));
        }
        return longest;
    }

    /** The Cholesky flops of one {@link #fit}: {@code sum_j |N(j)|^3 / 3}. */
    public double choleskyFlops() {
        double flops = 0;
        for (int j = 0; j < gram.items(); j++) {
            double order = neighbours.rowNnz(j);
            flops += order * order * order / 3;
        }
        return flops;
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
        ConcurrentLinkedQueue<Scratch> scratch = new ConcurrentLinkedQueue<>();
        int rowLength = longestGramRow();
        int maxOrder = lda;
        boolean capped = gram.cappedRows() > 0;
        Builder builder = capped ? this::buildSymmetric : this::buildSystem;
        long last = t0;
        long buildNanos = 0;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(systemBytes * batch, 64);
            MemorySegment b = arena.allocate((long) lda * batch * Double.BYTES, 64);
            int[] orders = new int[batch];
            for (int start = fromItem; start < toItem; start += batch) {
                int count = Math.min(batch, toItem - start);
                int first = start;
                int ld = lda;
                long b0 = System.nanoTime();
                kernels.pool().forRange(count, 1, (from, to) -> {
                    Scratch sc = Scratch.borrow(scratch, n, maxOrder, rowLength, capped);
                    for (int s = from; s < to; s++) {
                        orders[s] = builder.build(first + s, lambda, a.asSlice(s * systemBytes, systemBytes),
                                b.asSlice((long) s * ld * Double.BYTES, (long) ld * Double.BYTES), ld, sc);
                    }
                    scratch.add(sc);
                });
                buildNanos += System.nanoTime() - b0;
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
        progress.accept(String.format(Locale.ROOT, "EASE: %,d neighbourhood systems built in %.2f s and solved in %.2f s",
                toItem - fromItem, buildNanos / 1e9, (System.nanoTime() - t0 - buildNanos) / 1e9));
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
     * returns its order |N(j)|. Each neighbour's Gram row is copied out and scattered through {@code pos} (item to
     * place in N(j) plus one, 0 for the rest: a dummy slot, so the scatter has no branch): O(row length) per
     * neighbour, no search. The strict lower triangle of {@code a} is not written (the solve reads the upper one).
     */
    private int buildSystem(int j, double lambda, MemorySegment a, MemorySegment b, int lda, Scratch s) {
        CsrMatrix g = gram.offDiagonal();
        int order = beginSystem(j, b, s);
        int[] nb = s.neighbours;
        double[] row = s.row;
        for (int t = 0; t < order; t++) {
            int item = nb[t];
            // row[u + 1] = G[item, N(j)_u] for the u > t the upper triangle needs: N(j) is sorted, so the columns > item
            scatterRow(g, item, firstAbove(g, item), s, t + 2);
            row[t + 1] = gram.diagonal()[item] + lambda;
            MemorySegment.copy(row, t + 1, a, D, ((long) t * lda + t) * Double.BYTES, order - t);
        }
        endSystem(order, s);
        return order;
    }

    /** Loads N(j) into {@code s.neighbours} and {@code s.pos}, writes {@code b = G_Nj}; returns |N(j)|. */
    private int beginSystem(int j, MemorySegment b, Scratch s) {
        int order = neighbours.rowNnz(j);
        int[] nb = s.neighbours;
        MemorySegment.copy(neighbours.colIdx(), ValueLayout.JAVA_INT, (long) neighbours.rowStart(j) * Integer.BYTES, nb, 0, order);
        for (int t = 0; t < order; t++) {
            s.pos[nb[t]] = t + 1;
        }
        scatterRow(gram.offDiagonal(), j, gram.offDiagonal().rowStart(j), s, 0);
        MemorySegment.copy(s.row, 1, b, D, 0, order);
        return order;
    }

    /** Resets {@code s.pos} (all 0 between systems). */
    private static void endSystem(int order, Scratch s) {
        for (int t = 0; t < order; t++) {
            s.pos[s.neighbours[t]] = 0;
        }
    }

    /** Writes item j's system (see {@link #buildSystem}); returns its order. */
    private interface Builder {
        int build(int j, double lambda, MemorySegment a, MemorySegment b, int lda, Scratch s);
    }

    /**
     * {@link #buildSystem} for a capped (non-symmetric) Gram matrix: each neighbour's whole row is scattered into a
     * square scratch (index 0 of each row the dummy slot), the upper triangle takes the lower's entry where it has
     * none, in tiles ({@code G_NN[t, u]} is known when u is in t's row or t in u's), and is copied out. A pair missing from both rows is 0,
     * and the bound on its lost count, {@code e = min(dropped[t], dropped[u])}, is added to both diagonals: dropping
     * {@code e >= 0} and adding it there adds {@code e (e_t - e_u)(e_t - e_u)^T}, which keeps the system positive
     * definite (truncating a Gram matrix alone does not).
     */
    private int buildSymmetric(int j, double lambda, MemorySegment a, MemorySegment b, int lda, Scratch s) {
        CsrMatrix g = gram.offDiagonal();
        int order = beginSystem(j, b, s);
        int[] nb = s.neighbours;
        int w = order + 1;
        double[] sq = s.square;
        java.util.Arrays.fill(sq, 0, w * w, 0.0);
        for (int t = 1; t <= order; t++) {
            int item = nb[t - 1];
            int start = g.rowStart(item);
            int len = g.rowEnd(item) - start;
            MemorySegment.copy(g.colIdx(), ValueLayout.JAVA_INT, (long) start * Integer.BYTES, s.cols, 0, len);
            MemorySegment.copy(g.values(), ValueLayout.JAVA_FLOAT, (long) start * Float.BYTES, s.values, 0, len);
            int rt = t * w;
            for (int p = 0; p < len; p++) {
                sq[rt + s.pos[s.cols[p]]] = s.values[p];
            }
        }
        for (int t0 = 1; t0 <= order; t0 += SYMMETRIZE_TILE) { // the upper triangle takes what only the lower has
            int t1 = Math.min(t0 + SYMMETRIZE_TILE, w);
            for (int u0 = t0; u0 <= order; u0 += SYMMETRIZE_TILE) {
                int u1 = Math.min(u0 + SYMMETRIZE_TILE, w);
                for (int t = t0; t < t1; t++) {
                    for (int u = Math.max(u0, t + 1); u < u1; u++) {
                        if (sq[t * w + u] == 0) {
                            sq[t * w + u] = sq[u * w + t];
                        }
                    }
                }
            }
        }
        int[] dropped = gram.dropped();
        for (int t = 1; t <= order; t++) {
            sq[t * w + t] += gram.diagonal()[nb[t - 1]] + lambda;
            int bt = dropped[nb[t - 1]];
            for (int u = t + 1; bt > 0 && u <= order; u++) {
                int e = Math.min(bt, dropped[nb[u - 1]]);
                if (sq[t * w + u] == 0 && e > 0) { // counts kept are >= 1: 0 is a pair missing from both rows
                    sq[t * w + t] += e;
                    sq[u * w + u] += e;
                }
            }
            MemorySegment.copy(sq, t * w + t, a, D, ((long) (t - 1) * lda + t - 1) * Double.BYTES, order - t + 1);
        }
        endSystem(order, s);
        return order;
    }

    /**
     * Zeroes {@code s.row[from, end)} and scatters Gram row {@code item} from position {@code start} on into it:
     * {@code row[pos[i]] = G[item, i]}.
     */
    private static void scatterRow(CsrMatrix g, int item, int start, Scratch s, int from) {
        int len = g.rowEnd(item) - start;
        int[] cols = s.cols;
        float[] values = s.values;
        double[] row = s.row;
        int[] pos = s.pos;
        java.util.Arrays.fill(row, from, row.length, 0.0);
        MemorySegment.copy(g.colIdx(), ValueLayout.JAVA_INT, (long) start * Integer.BYTES, cols, 0, len);
        MemorySegment.copy(g.values(), ValueLayout.JAVA_FLOAT, (long) start * Float.BYTES, values, 0, len);
        for (int p = 0; p < len; p++) {
            row[pos[cols[p]]] = values[p];
        }
    }

    /** The first position in Gram row {@code item} whose column is greater than {@code item}. */
    private static int firstAbove(CsrMatrix g, int item) {
        int lo = g.rowStart(item);
        int hi = g.rowEnd(item);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (g.col(mid) <= item) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** One thread's buffers for {@link #buildSystem}: {@code pos} all 0 between systems. */
    private record Scratch(int[] pos, int[] neighbours, double[] row, int[] cols, float[] values, double[] square) {

        static Scratch borrow(ConcurrentLinkedQueue<Scratch> pool, int n, int order, int rowLength, boolean square) {
            Scratch s = pool.poll();
            return s != null ? s : new Scratch(new int[n], new int[order], new double[order + 1], new int[rowLength],
                    new float[rowLength], new double[square ? (order + 1) * (order + 1) : 0]);
        }
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
