package dev.sparsecf.data;

import java.util.function.IntConsumer;

/** The loaders' few threads: a task per part on platform threads (the caller runs the last), joined without giving up. */
final class Workers {

    private Workers() {
    }

    /**
     * Runs {@code task(0..tasks-1)}, each but the last on a new thread named {@code name-k}, waits for all and rethrows
     * the first unchecked failure; a task reports checked failures itself.
     */
    static void run(String name, int tasks, IntConsumer task) {
        Thread[] threads = new Thread[tasks - 1];
        Throwable[] failed = new Throwable[tasks];
        for (int k = 0; k < tasks - 1; k++) {
            int t = k;
            threads[k] = Thread.ofPlatform().name(name + "-" + k).start(() -> {
                try {
                    task.accept(t);
                } catch (RuntimeException | Error e) {
                    failed[t] = e;
                }
            });
        }
        try {
            task.accept(tasks - 1);
        } finally {
            for (Thread t : threads) {
                join(t);
            }
        }
        for (Throwable t : failed) {
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    /** Waits until {@code thread} ends, even when interrupted (the interrupt is kept for the caller). */
    static void join(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
