package dev.sparsecf.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fast path of {@link InteractionFiles#load} for a plain delimited file: uncompressed, a one-character separator
 * other than whitespace, and every data line printable ASCII without a quote. The file is cut into byte ranges at
 * line starts, one thread parses each range's bytes into primitive rows with its own id dictionaries (no String per
 * row for integer ids, no object per row), and {@link RowsToCsr} merges them into the same {@link Interactions} the
 * general path builds. Any line the fast path does not read exactly as the general path would (a quote, a stray
 * carriage return, a tab or control character, non-ASCII text, a wrong field count, an empty id or one with a space,
 * a rating that is not a finite number, or "-0") makes it give up: the general path then reads the whole file,
 * with its line numbers and messages.
 */
final class PlainDelimited {

    /** Bytes read per call: large enough that a read costs nothing per row. */
    static final int BUFFER = 1 << 20;
    /** Smallest range worth a thread of its own. */
    private static final long MIN_RANGE = 4L << 20;

    /** What the fast path read: the rows before the positive rule, and how many data lines held them. */
    record Read(Interactions rows, long lines) {
    }

    /** Signals a line the fast path leaves to the general path; no stack trace (it is not an error). */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;

        NotPlain() {
            super(null, null, false, false);
        }
    }

    private final Path file;
    private final InteractionFiles.RowFormat shape;
    private final byte sep;
    private final int bufferSize;
    private final AtomicBoolean gaveUp = new AtomicBoolean();

    private PlainDelimited(Path file, InteractionFiles.RowFormat shape, int bufferSize) {
        this.file = file;
        this.shape = shape;
        this.sep = (byte) shape.separator.charAt(0);
        this.bufferSize = bufferSize;
    }

    /** Whether the fast path may read {@code file} of layout {@code shape} at all. */
    static boolean applies(Path file, InteractionFiles.RowFormat shape) {
        String sep = shape.separator;
        return !shape.adjacency && sep.length() == 1 && sep.charAt(0) != ' ' && sep.charAt(0) != '"' && sep.charAt(0) < 0x7f
                && !file.getFileName().toString().endsWith(".gz");
    }

    /** The rows of {@code file} on as many threads as there are processors, or null where the general path must read it. */
    static Read read(Path file, InteractionFiles.RowFormat shape) throws IOException {
        long ranges = Math.min(Runtime.getRuntime().availableProcessors(), Files.size(file) / MIN_RANGE);
        return read(file, shape, (int) Math.max(1, ranges), BUFFER);
    }

    /** {@link #read(Path, InteractionFiles.RowFormat)} in at most {@code ranges} ranges with {@code bufferSize}-byte reads (tests). */
    static Read read(Path file, InteractionFiles.RowFormat shape, int ranges, int bufferSize) throws IOException {
        if (!applies(file, shape)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new PlainDelimited(file, shape, bufferSize).run(ch, ranges);
        }
    }

    private Read run(FileChannel ch, int maxRanges) throws IOException {
        long size = ch.size();
        long start = dataStart(ch, size);
        if (start < 0) {
            return null;
        }
        int ranges = (int) Math.max(1, Math.min(maxRanges, size - start));
        long[] bounds = new long[ranges + 1];
        bounds[0] = start;
        bounds[ranges] = size;
        for (int k = 1; k < ranges; k++) {
            bounds[k] = Math.max(bounds[k - 1], lineStartFrom(ch, start + (size - start) * k / ranges, size));
        }
        List<RangeRows> parts = new ArrayList<>();
        for (int k = 0; k < ranges; k++) {
            parts.add(new RangeRows(shape.rating >= 0));
        }
        long[] lines = new long[ranges];
        Throwable[] failed = new Throwable[ranges];
        Workers.run("sparsecf-load", ranges, r -> {
            try {
                lines[r] = scan(ch, bounds[r], bounds[r + 1], parts.get(r));
            } catch (NotPlain e) {
                gaveUp.set(true);
            } catch (IOException | RuntimeException | Error e) {
                failed[r] = e;
                gaveUp.set(true);
            }
        });
        for (Throwable t : failed) {
            switch (t) {
                case null -> { }
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException(t);
            }
        }
        long total = 0;
        for (long n : lines) {
            total += n;
        }
        if (gaveUp.get() || total == 0) {
            return null;
        }
        return new Read(RowsToCsr.build(file.toString(), parts), total);
    }

    /**
     * Where the data lines begin: after a UTF-8 byte order mark, and with a header after the blank lines before it and
     * the header line itself; -1 when a line before the data is not plain (e.g. a quoted header).
     */
    private long dataStart(FileChannel ch, long size) throws IOException {
        byte[] head = new byte[3];
        long at = read(ch, head, 0, 3, 0) == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF ? 3 : 0;
        if (shape.header == null) {
            return at;
        }
        while (at < size) {
            long end = lineStartFrom(ch, at + 1, size);
            byte[] line = new byte[(int) Math.min(end - at, 1 << 20)];
            int n = read(ch, line, 0, line.length, at);
            boolean blank = true;
            for (int i = 0; i < n; i++) {
                byte c = line[i];
                if (c == '"' || c < 0 || (c < ' ' && c != '\t' && c != '\r' && c != '\n')) {
                    return -1; // a quoted header may span lines; other control characters are blank to the general path
                }
                blank &= c == ' ' || c == '\t' || c == '\r' || c == '\n';
            }
            if (!blank) {
                return end;
            }
            at = end;
        }
        return -1;
    }

    /** The first line start at or after {@code from}: {@code from} itself when a line ends just before it. */
    private static long lineStartFrom(FileChannel ch, long from, long size) throws IOException {
        if (from == 0) {
            return 0;
        }
        byte[] b = new byte[1 << 16];
        for (long at = from - 1; at < size; at += b.length) {
            int n = read(ch, b, 0, b.length, at);
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    return at + i + 1;
                }
            }
            if (n <= 0) {
                break;
            }
        }
        return size;
    }

    private static int read(FileChannel ch, byte[] b, int off, int len, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        int total = 0;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Reads the lines that start in {@code [start, end)} into {@code rows}; returns how many data lines there were. */
    private long scan(FileChannel ch, long start, long end, RangeRows rows) throws IOException, NotPlain {
        if (start >= end) {
            return 0;
        }
        LineParser parser = new LineParser(rows);
        byte[] buf = new byte[bufferSize];
        long base = start; // file offset of buf[0]
        int limit = 0;
        int p = 0;
        int searched = 0;
        boolean eof = false;
        long lines = 0;
        while (true) {
            int nl = searched;
            while (nl < limit && buf[nl] != '\n') {
                nl++;
            }
            if (nl == limit) {
                if (eof) {
                    if (p < limit) {
                        lines += parser.line(buf, p, limit);
                    }
                    return lines;
                }
                if (p > 0) {
                    System.arraycopy(buf, p, buf, 0, limit - p);
                    base += p;
                    limit -= p;
                    nl -= p;
                    p = 0;
                }
                if (limit == buf.length) {
                    buf = Arrays.copyOf(buf, 2 * buf.length);
                }
                int n = read(ch, buf, limit, buf.length - limit, base + limit);
                eof = n <= 0;
                limit += Math.max(n, 0);
                searched = nl;
                if (gaveUp.get()) {
                    throw new NotPlain(); // another range gave up: the general path reads everything
                }
                continue;
            }
            lines += parser.line(buf, p, nl);
            p = nl + 1;
            searched = p;
            if (base + p >= end) {
                return lines;
            }
        }
    }

    /** Parses one line's bytes into a row, as the general path would split and check it. */
    private final class LineParser {
        private final RangeRows rows;
        private final int[] from;
        private final int[] to;
        private final int fields = shape.fields;
        private final int userCol = shape.user;
        private final int itemCol = shape.item;
        private final int ratingCol = shape.rating;
        private long lastUserKey = Long.MIN_VALUE; // a number that is never canonical: no previous user
        private int lastUser;

        LineParser(RangeRows rows) {
            this.rows = rows;
            this.from = new int[fields];
            this.to = new int[fields];
        }

        /** Adds the row of bytes {@code [a, b)} (without the line feed); returns 1 for a data line, 0 for a blank one. */
        int line(byte[] buf, int a, int b) throws NotPlain {
            if (b > a && buf[b - 1] == '\r') {
                b--; // CRLF, as LineReader drops it
            }
            int f = 0;
            int start = a;
            boolean blank = true;
            for (int i = a; i < b; i++) {
                byte c = buf[i];
                if (c == sep) {
                    if (f < fields) {
                        from[f] = start;
                        to[f] = i;
                    }
                    f++;
                    start = i + 1;
                    blank = false;
                } else if (c < ' ' && c != '\t' || c >= 0x7f || c == '"') {
                    throw new NotPlain();
                } else {
                    blank &= c == ' ' || c == '\t';
                }
            }
            if (blank) {
                return 0;
            }
            if (f < fields) {
                from[f] = start;
                to[f] = b;
            }
            if (f + 1 != fields) {
                throw new NotPlain();
            }
            int user = userCode(buf);
            int item = code(rows.items, buf, from[itemCol], to[itemCol]);
            rows.add(user, item, ratingCol < 0 ? Float.NaN : rating(buf, from[ratingCol], to[ratingCol]));
            return 1;
        }

        private int userCode(byte[] buf) throws NotPlain {
            int a = from[userCol];
            int b = to[userCol];
            while (a < b && isSpace(buf[a])) {
                a++;
            }
            while (b > a && isSpace(buf[b - 1])) {
                b--;
            }
            long key = number(buf, a, b);
            if (key != Long.MIN_VALUE && key == lastUserKey) {
                return lastUser;
            }
            lastUserKey = key;
            lastUser = key != Long.MIN_VALUE ? rows.users.number(key) : rows.users.string(text(buf, a, b));
            return lastUser;
        }

        private int code(LocalIds ids, byte[] buf, int a, int b) throws NotPlain {
            while (a < b && isSpace(buf[a])) {
                a++;
            }
            while (b > a && isSpace(buf[b - 1])) {
                b--;
            }
            long key = number(buf, a, b);
            return key != Long.MIN_VALUE ? ids.number(key) : ids.string(text(buf, a, b));
        }

        /** A non-numeric id: not empty and without a space or tab inside (the general path rejects those). */
        private static String text(byte[] buf, int a, int b) throws NotPlain {
            if (a == b) {
                throw new NotPlain();
            }
            for (int i = a; i < b; i++) {
                if (isSpace(buf[i])) {
                    throw new NotPlain();
                }
            }
            return new String(buf, a, b - a, StandardCharsets.ISO_8859_1);
        }

        private static float rating(byte[] buf, int a, int b) throws NotPlain {
            float v;
            try {
                v = Float.parseFloat(new String(buf, a, b - a, StandardCharsets.ISO_8859_1).strip());
            } catch (NumberFormatException e) {
                throw new NotPlain();
            }
            // not finite: an error; -0: the general path's merge keeps the first of 0 and -0, this one would not
            if (!Float.isFinite(v) || (v == 0 && Float.floatToRawIntBits(v) != 0)) {
                throw new NotPlain();
            }
            return v;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The value of the canonical decimal integer in {@code [a, b)} (optional '-', no leading zero, not "-0", at most
     * 18 digits: one string per value), or {@link Long#MIN_VALUE} for any other text.
     */
    static long number(byte[] buf, int a, int b) {
        boolean negative = a < b && buf[a] == '-';
        int d = negative ? a + 1 : a;
        int digits = b - d;
        if (digits < 1 || digits > 18 || (buf[d] == '0' && (digits > 1 || negative))) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (int i = d; i < b; i++) {
            int x = buf[i] - '0';
            if (x < 0 || x > 9) {
                return Long.MIN_VALUE;
            }
            v = 10 * v + x;
        }
        return negative ? -v : v;
    }
}
