package dev.sparsecf.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads a text file line by line with exact 1-based line numbers for error messages. Lines end at LF or
 * CRLF; bytes are decoded as strict UTF-8 one line at a time, so a bad byte is reported on its own line.
 * A UTF-8 byte order mark opening the file is dropped (editors on Windows write one; kept, it would become part
 * of the first id). A {@code .gz} file is decompressed on the fly.
 */
final class LineReader implements Closeable {

    /** U+FEFF in UTF-8. */
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[256];
    private long lineNumber; // of the last line read
    private long recordLine; // where the record being read began: what errors name

    private LineReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    static LineReader open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return new LineReader(file, file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** The next line without its terminator, or null at the end of the file; it begins a new record. */
    String next() throws IOException {
        String s = read();
        recordLine = lineNumber;
        return s;
    }

    /**
     * The next line of the current record (a quoted field that spans lines), or null at the end of the file;
     * {@link #lineNumber()} keeps naming the line where the record began.
     */
    String continuation() throws IOException {
        return read();
    }

    private String read() throws IOException {
        int len = 0;
        boolean terminated = false;
        while (!terminated) {
            if (chunkPos == chunkEnd && !refill()) {
                if (len == 0) {
                    return null;
                }
                break;
            }
            int stop = chunkPos;
            while (stop < chunkEnd && chunk[stop] != '\n') {
                stop++;
            }
            int n = stop - chunkPos;
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.max(len + n, line.length * 2));
            }
            System.arraycopy(chunk, chunkPos, line, len, n);
            len += n;
            terminated = stop < chunkEnd;
            chunkPos = terminated ? stop + 1 : stop;
        }
        int from = lineNumber == 0 && startsWithBom(len) ? BOM.length : 0;
        lineNumber++;
        if (len > from && line[len - 1] == '\r') {
            len--;
        }
        if (ascii(from, len)) {
            return new String(line, from, len - from, StandardCharsets.ISO_8859_1); // ASCII: the same text, decoded faster
        }
        try {
            CharBuffer chars = utf8.decode(ByteBuffer.wrap(line, from, len - from));
            return chars.toString();
        } catch (CharacterCodingException e) {
            // the physical line, also inside a record that spans lines
            throw new MalformedDataException(file, lineNumber, new String(line, from, len - from, StandardCharsets.ISO_8859_1),
                    "not valid UTF-8 text");
        }
    }

    private boolean ascii(int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWithBom(int len) {
        return len >= BOM.length && Arrays.equals(line, 0, BOM.length, BOM, 0, BOM.length);
    }

    private boolean refill() throws IOException {
        int n = in.read(chunk);
        chunkPos = 0;
        chunkEnd = Math.max(n, 0);
        return n > 0;
    }

    /** The 1-based number of the line last returned by {@link #next()}, where the current record began. */
    long lineNumber() {
        return recordLine;
    }

    Path file() {
        return file;
    }

    /** An exception naming this file, the current line, its text and the problem. */
    MalformedDataException error(String text, String problem) {
        return new MalformedDataException(file, recordLine, text, problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
