package dev.sparsecf.blas;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Lets the JVM exit only between OpenBLAS calls.
 *
 * <p>At exit the JVM runs the C exit handlers while other threads may still be inside native code, and
 * OpenBLAS's handler ({@code gotoblas_quit}) joins its worker threads. A worker serving a call that is still
 * running, or that has just run, can miss the exit request and never be joined: after a SIGTERM,
 * {@code sparsecf study beta} hung for good twice in 79 signalled runs, its VM thread in
 * {@code blas_thread_shutdown_}; with the gate, none of 150 did. Calls therefore hold this gate shared, and a
 * shutdown hook ({@link #close}) closes it once no call is running. A call that would start after that parks until
 * the JVM halts.
 */
final class ExitGate {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final long noticeMillis;
    private final Consumer<String> notice;

    /** {@code notice} gets one line if {@link #close} has waited {@code noticeMillis} for a running call. */
    ExitGate(long noticeMillis, Consumer<String> notice) {
        this.noticeMillis = noticeMillis;
        this.notice = notice;
    }

    /** Before a native call: waits (for good) if the gate is closed. */
    void enter() {
        lock.readLock().lock();
    }

    /** After a native call, in a finally block. */
    void leave() {
        lock.readLock().unlock();
    }

    /** Closes the gate for good, once every running call has left; meant for a shutdown hook. */
    void close() {
        boolean interrupted = false;
        try {
            if (lock.writeLock().tryLock(noticeMillis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        notice.accept("sparsecf: exiting once the running OpenBLAS call finishes (a large Cholesky inverse takes"
                + " minutes): exiting during it can hang in OpenBLAS's exit handler; kill -9 stops at once");
        lock.writeLock().lock(); // never unlocked: the JVM is exiting
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close} has closed the gate. */
    boolean isClosed() {
        return lock.isWriteLocked();
    }
}
