package dev.sparsecf.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock a run holds on its output directory for its lifetime: {@value #FILE} there, locked and
 * holding the run's PID, so that a second run into the same directory fails at once, naming the first, instead of
 * training in parallel and mixing its files with the first's. The operating system drops the lock when the
 * process ends, however it ends; the file stays and is harmless.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = "sparsecf.lock";

    // file locks belong to the whole JVM, which the OS lets take the same lock twice: runs in one JVM check here
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks the existing directory {@code dir}, or fails with a one-line {@link UsageException} naming the holder's PID. */
    public static RunLock acquire(Path dir) throws IOException {
        Path key = dir.toRealPath();
        if (!HELD.add(key)) {
            throw busy(dir, Long.toString(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(dir, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new RunLock(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    /** Locks {@code dir} as {@link #acquire} does, or returns null if another run holds its lock. */
    public static RunLock tryAcquire(Path dir) throws IOException {
        try {
            return acquire(dir);
        } catch (UsageException busy) {
            return null;
        }
    }

    /** Whether another run holds {@code dir}'s lock; takes and writes nothing. */
    public static boolean isHeld(Path dir) throws IOException {
        try {
            checkFree(dir);
            return false;
        } catch (UsageException held) {
            return true;
        }
    }

    /** Fails as {@link #acquire} would if another run holds {@code dir}'s lock; takes and writes nothing. */
    public static void checkFree(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        if (HELD.contains(dir.toRealPath())) {
            throw busy(dir, Long.toString(ProcessHandle.current().pid()));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(dir, holder(channel));
            }
            lock.release();
        }
    }

    private static UsageException busy(Path dir, String pid) {
        return new UsageException("--out " + dir + " is in use by another run (PID " + pid
                + "); wait for it to end or choose another directory");
    }

    /** The PID the holder wrote, or "unknown" if it has not written it yet. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        channel.read(b, 0);
        String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
        return pid.isEmpty() ? "unknown" : pid;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD.remove(key);
        }
    }
}
