package dev.sparsecf.run;

import dev.sparsecf.data.AtomicFile;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.render.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * {@code data synth}: a large delimited click file from {@link SyntheticClicks}, for the loading benchmark: blocks of
 * ML-20M-shaped users (136,677 users x 20,108 items, about 10M clicks each, block {@code b} with seed {@code seed + b},
 * its users numbered on from the last block's), written as {@code user_id,item_id} rows until {@code rows} are out.
 */
public final class SyntheticFile {

    private static final byte[] HEADER = "user_id,item_id\n".getBytes(StandardCharsets.US_ASCII);

    private SyntheticFile() {
    }

    /** Writes {@code rows} rows to {@code out} atomically ({@code .gz} compresses), with progress on {@code err}. */
    public static void write(Path out, long rows, long seed, boolean force, PrintWriter err) throws IOException {
        if (rows < 1) {
            throw new UsageException("--rows must be >= 1, got " + rows);
        }
        if (Files.exists(out) && !force) {
            throw new UsageException("--out " + out + " exists; pass --force to replace it");
        }
        Progress p = Progress.start(err, String.format(Locale.ROOT, "writing %,d synthetic rows to %s", rows, out));
        AtomicFile.write(out, file -> {
            OutputStream o = out.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file;
            byte[] buf = new byte[1 << 20];
            System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
            int at = HEADER.length;
            long written = 0;
            long firstUser = 0;
            for (long block = 0; written < rows; block++) {
                try (CsrMatrix m = SyntheticClicks.ml20mShape(1.0, seed + block)) {
                    for (int u = 0; u < m.rows() && written < rows; u++) {
                        for (int q = m.rowStart(u); q < m.rowEnd(u) && written < rows; q++) {
                            if (at > buf.length - 24) {
                                o.write(buf, 0, at);
                                at = 0;
                            }
                            at = digits(firstUser + u, buf, at);
                            buf[at++] = ',';
                            at = digits(m.col(q), buf, at);
                            buf[at++] = '\n';
                            written++;
                        }
                    }
                    firstUser += m.rows();
                }
                err.printf(Locale.ROOT, "  %,d rows%n", written);
                err.flush();
            }
            o.write(buf, 0, at);
            o.close(); // the gzip trailer before the rename
        });
        p.done(String.format(Locale.ROOT, "wrote %,d rows, %,d bytes", rows, Files.size(out)));
    }

    /** Writes the decimal digits of {@code x >= 0} at {@code at}; returns the position after them. */
    private static int digits(long x, byte[] buf, int at) {
        int n = 1;
        for (long t = x; t >= 10; t /= 10) {
            n++;
        }
        for (int i = at + n - 1; i >= at; i--) {
            buf[i] = (byte) ('0' + x % 10);
            x /= 10;
        }
        return at + n;
    }
}
