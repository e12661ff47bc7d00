package dev.sparsecf.blas;

import java.util.function.DoubleConsumer;

/**
 * Progress of an SPD inverse made of native calls, as the share of its {@code n^3} flops done: for a sweep, after
 * each block of pivots; for potrf + potri, exact after each block of the factorisation ({@code n^3/3} flops), then,
 * while the single potri call ({@code 2 n^3/3}) runs, an estimate that assumes potri keeps the factorisation's flop rate, reported once a second by a watcher thread and
 * capped below 1 (so a slower potri shows a stalled share, never a finished one).
 */
final class InverseEta {

    private static final long REPORT_EVERY_MILLIS = 1_000;
    /** The estimate never claims more than this share of potri before it returns. */
    private static final double POTRI_CAP = 0.99;

    private final int n;
    private final double n3;
    private final DoubleConsumer progress;
    private final long start = System.nanoTime();
    private long factorisedNanos;

    InverseEta(int n, DoubleConsumer progress) {
        this.n = n;
        this.n3 = Math.pow(n, 3);
        this.progress = progress;
    }

    /** After the factorisation's first {@code columns} columns: {@code (n^3 - (n - c)^3) / 3} flops are done. */
    void factorised(int columns) {
        progress.accept((1 - Math.pow((double) (n - columns) / n, 3)) / 3);
        factorisedNanos = System.nanoTime() - start;
    }

    /**
     * After a sweep's first {@code columns} pivot columns ({@link MklSweepInverse}): each pivot column costs about the
     * same {@code n^2} flops, so the share done is the share of columns.
     */
    void swept(int columns) {
        progress.accept((double) columns / n);
    }

    /** Starts the watcher for the potri call when {@code watch} (a blocked factorisation measured the rate). */
    Watch watchInverse(boolean watch) {
        if (!watch) {
            return new Watch(null);
        }
        long potriStart = System.nanoTime();
        double flopsPerNano = n3 / 3 / Math.max(1, factorisedNanos);
        Thread watcher = Thread.ofPlatform().daemon().name("sparsecf potri progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(REPORT_EVERY_MILLIS);
                    double potriFlops = Math.min(POTRI_CAP * 2 * n3 / 3, (System.nanoTime() - potriStart) * flopsPerNano);
                    progress.accept((n3 / 3 + potriFlops) / n3);
                }
            } catch (InterruptedException e) {
                // potri returned
            }
        });
        return new Watch(watcher);
    }

    /** Stops the watcher and waits for it, so no report arrives after the call returns. */
    static final class Watch implements AutoCloseable {
        private final Thread watcher;

        private Watch(Thread watcher) {
            this.watcher = watcher;
        }

        @Override
        public void close() {
            if (watcher == null) {
                return;
            }
            watcher.interrupt();
            boolean interrupted = false;
            while (true) {
                try {
                    watcher.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
