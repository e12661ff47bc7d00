package dev.sparsecf.models.ease;

import java.util.Locale;

/**
 * What one EASE fit did: its input, backend, the wall time of each phase (allocate the n x n buffer, count the
 * Gram matrix and add lambda, factorise and invert, write B) and the off-heap bytes held at the peak. A
 * neighbourhood fit ({@code neighbours} K > 0) counts the sparse Gram matrix and picks neighbours in the Gram phase,
 * solves in the invert phase, and has {@code emptyColumns} items that co-occur with no other item (zero columns of
 * B); its peak is the estimated bytes of its sparse matrices and systems, heap included.
 */
public record FitReport(int users, int items, long clicks, double lambda, Precision precision, String backend,
                        long allocateNanos, long gramNanos, long invertNanos, long finishNanos, long offHeapPeakBytes,
                        int neighbours, int emptyColumns) {

    /** Wall time of the whole fit. */
    public long totalNanos() {
        return allocateNanos + gramNanos + invertNanos + finishNanos;
    }

    /** One line: shape, lambda, backend, each phase in seconds and the off-heap peak. */
    public String format() {
        if (neighbours > 0) {
            return String.format(Locale.ROOT, "EASE fit %,d users x %,d items (%,d clicks), lambda %s, K = %,d"
                            + " neighbours on %s: sparse Gram + neighbours %.2f s, solves %.2f s, B %.2f s, total %.2f s;"
                            + " %,d item%s with no co-occurring item (zero columns); estimated peak %.2f GB", users, items,
                    clicks, Lambdas.format(lambda), neighbours, backend, gramNanos / 1e9, invertNanos / 1e9,
                    finishNanos / 1e9, totalNanos() / 1e9, emptyColumns, emptyColumns == 1 ? "" : "s",
                    offHeapPeakBytes / 1e9);
        }
        return String.format(Locale.ROOT,
                "EASE fit %,d users x %,d items (%,d clicks), lambda %s, %s on %s: allocate %.2f s, Gram %.2f s,"
                        + " factorise+invert %.2f s, finish %.2f s, total %.2f s; off-heap peak %.2f GB",
                users, items, clicks, Lambdas.format(lambda), precision.name().toLowerCase(Locale.ROOT), backend,
                allocateNanos / 1e9, gramNanos / 1e9, invertNanos / 1e9, finishNanos / 1e9, totalNanos() / 1e9,
                offHeapPeakBytes / 1e9);
    }
}
