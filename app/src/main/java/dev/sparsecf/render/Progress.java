package dev.sparsecf.render;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One step of a long task on stderr: a line when it starts (so a slow load is not mistaken for a hang) and
 * one with the elapsed time when it ends. stdout stays the result alone.
 */
public final class Progress {

    private final PrintWriter err;
    private final long startNanos;

    private Progress(PrintWriter err) {
        this.err = err;
        this.startNanos = System.nanoTime();
    }

    /** Prints {@code "<what> ..."} and starts the clock. */
    public static Progress start(PrintWriter err, String what) {
        err.println(what + " ...");
        err.flush();
        return new Progress(err);
    }

    /** Prints {@code "<result> in <seconds> s"}. */
    public void done(String result) {
        err.printf(Locale.ROOT, "%s in %.2f s%n", result, (System.nanoTime() - startNanos) / 1e9);
        err.flush();
    }

    /**
     * A progress bar for a terminal, redrawn in place: {@code "\r<label> [#####     ] 45/234  12.3 s, ETA 49s"}, the
     * ETA extrapolated from the time per step so far.
     */
    public static String bar(String label, int done, int total, double seconds) {
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        double eta = done == 0 ? 0 : seconds / done * (total - done);
        return String.format(Locale.ROOT, "\r%s [%s%s] %d/%d  %.1f s, ETA %s", label, "#".repeat(filled),
                " ".repeat(width - filled), done, total, seconds, duration(eta));
    }

    /** A duration for humans: {@code 42s}, {@code 3m07s}, {@code 1h02m}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
