package dev.sparsecf.blas;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A native library's wrapper made at most once per JVM: the instance, or the failure that every later call reports
 * again (a second attempt would only load half a library twice).
 */
final class LoadOnce<T> {

    private final Supplier<T> load;
    private final Function<Throwable, IllegalStateException> cannotLoad;
    private T instance; // guarded by this
    private Throwable failure; // guarded by this

    /** {@code cannotLoad} turns the cause into the one-line error that names the fix. */
    LoadOnce(Supplier<T> load, Function<Throwable, IllegalStateException> cannotLoad) {
        this.load = load;
        this.cannotLoad = cannotLoad;
    }

    /** The instance, made now if this is the first call; throws {@code cannotLoad}'s error if it cannot be. */
    synchronized T get() {
        if (instance == null) {
            if (failure != null) {
                throw cannotLoad.apply(failure);
            }
            try {
                instance = load.get();
            } catch (RuntimeException | LinkageError e) {
                failure = e;
                throw cannotLoad.apply(e);
            }
        }
        return instance;
    }
}
