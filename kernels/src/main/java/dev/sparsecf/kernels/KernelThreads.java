package dev.sparsecf.kernels;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small fork-join helper that splits an index range into chunks and runs them on {@code threads - 1}
 * pooled daemon workers plus the calling thread. Chunks are claimed dynamically (load balance for
 * heavy-tailed CSR rows); each index is processed by exactly one task, so kernels whose per-index work is
 * independent give the same result for any thread count.
 */
public final class KernelThreads {

    /** System property with the kernel thread count; default: available processors. */
    public static final String THREADS_PROPERTY = "sparsecf.threads";

    private static final ConcurrentHashMap<Integer, KernelThreads> POOLS = new ConcurrentHashMap<>();

    /** Chunks per thread: enough to balance uneven rows, few enough to keep claiming cheap. */
    private static final int CHUNKS_PER_THREAD = 8;

    private final int threads;
    private final ExecutorService workers;

    private KernelThreads(int threads) {
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "sparsecf-kernel-" + threads);
            t.setDaemon(true);
            return t;
        });
    }

    /** The shared pool for {@code threads} threads (created on first use, never shut down: daemon threads). */
    public static KernelThreads of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        return POOLS.computeIfAbsent(threads, KernelThreads::new);
    }

    /** Thread count from {@code -Dsparsecf.threads}, or the number of available processors. */
    public static int configuredThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be a positive integer, got '" + v + "'");
    }

    public int threads() {
        return threads;
    }

    /** Work on a half-open index range. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, count)} in chunks whose boundaries are multiples of {@code align}
     * (except the end); returns when all chunks are done and rethrows the first failure.
     */
    public void forRange(int count, int align, RangeTask task) {
        forChunks(count, align, threads * CHUNKS_PER_THREAD, task);
    }

    /**
     * As {@link #forRange}, but in at most one chunk per thread: for work that is uniform across the range and
     * pays a fixed cost per chunk (e.g. a column split that re-reads the whole sparse matrix in every chunk).
     */
    public void forEqualRanges(int count, int align, RangeTask task) {
        forChunks(count, align, threads, task);
    }

    private void forChunks(int count, int align, int maxChunks, RangeTask task) {
        if (count <= 0) {
            return;
        }
        int units = (count + align - 1) / align;
        int chunks = Math.min(units, threads == 1 ? 1 : maxChunks);
        if (chunks == 1) {
            task.run(0, count);
            return;
        }
        int helpers = Math.min(threads, chunks) - 1;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(helpers);
        Runnable loop = () -> {
            int c;
            while (failure.get() == null && (c = next.getAndIncrement()) < chunks) {
                int from = (int) ((long) units * c / chunks) * align;
                int to = Math.min(count, (int) ((long) units * (c + 1) / chunks) * align);
                try {
                    task.run(from, to);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        for (int h = 0; h < helpers; h++) {
            workers.execute(() -> {
                try {
                    loop.run();
                } finally {
                    done.countDown();
                }
            });
        }
        loop.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kernel threads", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
