package dev.sparsecf.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The records of a delimited file read, joined and split on a second thread while the caller checks and counts
 * them (a large file's load takes about as long for each half), handed over in file order in batches. A record the
 * shape cannot split carries its error, to be counted or thrown in order; an error that ends the reading (bad UTF-8,
 * an unclosed quote, an I/O failure) comes after the records before it.
 */
final class ReadAhead implements AutoCloseable {

    /** Records per hand-over: large enough that the queue costs nothing per record. */
    private static final int BATCH = 4096;

    /** Up to {@link #BATCH} records: line number, text and fields (or the split's error) of each. */
    static final class Batch {
        final long[] lines = new long[BATCH];
        final String[] texts = new String[BATCH];
        final String[][] fields = new String[BATCH][];
        final MalformedDataException[] errors = new MalformedDataException[BATCH];
        int size;
        /** What ended the reading after these records: null while more batches follow. */
        Throwable end;
        boolean last;
    }

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(8);
    private final Thread reader;
    private volatile boolean closed;

    /** Starts reading the records of {@code in} (positioned after any header) as {@code shape} splits them. */
    ReadAhead(LineReader in, InteractionFiles.RowFormat shape) {
        reader = Thread.ofPlatform().name("sparsecf-read-ahead").daemon().start(() -> read(in, shape));
    }

    private void read(LineReader in, InteractionFiles.RowFormat shape) {
        Batch b = new Batch();
        try {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                int t = b.size;
                b.lines[t] = in.lineNumber();
                line = shape.record(in, line); // an unclosed quote ends the reading: it would take the rest of the file
                b.texts[t] = line;
                try {
                    b.fields[t] = shape.split(in, line);
                } catch (MalformedDataException e) {
                    b.errors[t] = e;
                }
                if (++b.size == BATCH) {
                    queue.put(b);
                    b = new Batch();
                }
            }
        } catch (InterruptedException e) {
            return; // closed by the caller
        } catch (IOException | RuntimeException | Error e) {
            if (closed) {
                return;
            }
            b.end = e;
        }
        b.last = true;
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            // closed by the caller
        }
    }

    /** The next batch in file order; after the one marked {@link Batch#last}, do not call again. */
    Batch next() throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
    }

    /** Rethrows what ended the reading after batch {@code b}'s records, if anything did. */
    static void rethrowEnd(Batch b) throws IOException {
        switch (b.end) {
            case null -> { }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(b.end);
        }
    }

    /** Stops the reader and waits for it, so the file can be closed. */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        Workers.join(reader);
    }
}
