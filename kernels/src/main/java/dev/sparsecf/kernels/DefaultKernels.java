package dev.sparsecf.kernels;

import java.util.Locale;

/**
 * The process-wide {@link Kernels} of {@link Kernels#get()}: kernels and threads from {@code -Dsparsecf.kernels} and
 * {@code -Dsparsecf.threads}, resolved on first use, and the BLAS tier of {@code -Dsparsecf.blas}, resolved (and
 * OpenBLAS loaded) only when a product or inverse first needs it; each logs its one start-up line.
 */
final class DefaultKernels {

    private static final System.Logger LOG = System.getLogger("dev.sparsecf.kernels");

    private DefaultKernels() {
    }

    /** Holder idiom: the default instance is resolved on first use, and class initialisation cannot deadlock. */
    private static final class Holder {
        static final Kernels DEFAULT = createDefault();
    }

    /** The default BLAS tier, resolved on first use. */
    private static final class BlasHolder {
        static final BlasProvider DEFAULT = createDefaultBlas();
    }

    static Kernels kernels() {
        return Holder.DEFAULT;
    }

    static BlasProvider blas() {
        return BlasHolder.DEFAULT;
    }

    /** The {@code -Dsparsecf.blas} value as the flag parser reads it (trimmed, lower case; {@code auto} if unset). */
    static String askedBlas() {
        return System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    }

    private static Kernels createDefault() {
        String flag = System.getProperty(KernelProvider.IMPL_PROPERTY, "auto");
        KernelProvider provider = KernelProvider.forName(flag, msg -> LOG.log(System.Logger.Level.WARNING, msg));
        Kernels k = new Kernels(provider, KernelThreads.of(KernelThreads.configuredThreads()), null);
        LOG.log(System.Logger.Level.INFO, k.startupLine());
        return k;
    }

    private static BlasProvider createDefaultBlas() {
        Kernels k = kernels();
        BlasProvider b = BlasProvider.forName(System.getProperty(BlasProvider.BLAS_PROPERTY), k.threads(), k.provider(),
                msg -> LOG.log(System.Logger.Level.WARNING, msg));
        LOG.log(System.Logger.Level.INFO, b.startupLine());
        return b;
    }
}
