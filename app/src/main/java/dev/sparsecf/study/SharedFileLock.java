package dev.sparsecf.study;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking lock for a read-modify-write of a file that several study runs share ({@value StudyCells#FILE} of a
 * dataset, {@value StudyJournal#FILE}), so that no run replaces the file with a copy that lacks another's rows.
 * The operating system's file lock orders processes; it belongs to the whole JVM, so threads of one JVM queue on a
 * {@link ReentrantLock} first. The lock file stays and is harmless.
 */
final class SharedFileLock {

    private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    /** The body of a locked update. */
    interface Update<T> {
        T apply() throws IOException;
    }

    private SharedFileLock() {
    }

    /** Runs {@code update} while holding the lock of {@code lockFile} (created if absent), waiting for it if held. */
    static <T> T locked(Path lockFile, Update<T> update) throws IOException {
        ReentrantLock jvm = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
        jvm.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return update.apply();
        } finally {
            jvm.unlock();
        }
    }
}
