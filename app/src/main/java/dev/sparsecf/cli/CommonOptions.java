package dev.sparsecf.cli;

import dev.sparsecf.data.Datasets;
import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.KernelProvider;
import dev.sparsecf.kernels.KernelThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options of every command that reads data or runs kernels (a picocli {@code @Mixin}): the data directory,
 * the kernel and BLAS implementations, the thread count and the seed. {@code --debug} and {@code --help} are
 * inherited from {@link Main}. A command calls {@link #apply()} first, because the kernels and BLAS read
 * their system properties once, on first use.
 */
public final class CommonOptions {

    /** {@code -Dsparsecf.kernels} values ({@link KernelProvider}). */
    enum KernelsChoice {
        AUTO, SCALAR, PANAMA;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code -Dsparsecf.blas} values ({@link BlasProvider}). */
    enum BlasChoice {
        AUTO, OPENBLAS, DNNL, MKL, JAVA;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Seed of the split and of anything random when {@code --seed} is not given (the data tests' seed too). */
    static final long DEFAULT_SEED = 0;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Path dataDir;

    @Option(names = "--kernels", paramLabel = "auto|scalar|panama",
            description = "Sparse kernels: auto (Panama if the Vector API is available), scalar or panama (default: auto).")
    KernelsChoice kernels;

    @Option(names = "--blas", paramLabel = "auto|openblas|dnnl|mkl|java",
            description = "Dense algebra backend: auto (per operation the faster of OpenBLAS and Java, and for GEMM also"
                    + " oneDNN, and MKL in a build with -Pmkl, calibrated once per machine), openblas, dnnl (GEMM on oneDNN,"
                    + " the rest on OpenBLAS), mkl (GEMM and the SPD inverse on Intel MKL; build with -Pmkl) or java"
                    + " (default: auto).")
    BlasChoice blas;

    private Integer threads;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DEFAULT_SEED,
            description = "Seed of the split and of training; in study beta the first training seed, the split's being --split-seed "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with one folder per dataset (default: $" + Datasets.DATA_DIR_ENV
                    + ", else ../shared/data if it exists, else ./data).")
    void setDataDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(mixee.commandLine(), "--data-dir " + dir + " is not a directory"
                    + (Files.exists(dir) ? "" : " (it does not exist)"));
        }
        dataDir = dir;
    }

    @Option(names = "--threads", paramLabel = "N", description = "Kernel and BLAS threads (default: all cores).")
    void setThreads(int n) {
        if (n < 1) {
            throw new ParameterException(mixee.commandLine(), "--threads must be >= 1, got " + n);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (n > cores) {
            // more threads than cores only take turns: measured 20x slower with --threads 1000 on 2 cores
            mixee.commandLine().getErr().printf("%s: warning: --threads %d is more than the %d cores here; the kernels "
                    + "will share them (OpenBLAS uses at most %d)%n", mixee.qualifiedName(), n, cores, cores);
        }
        threads = n;
    }

    /** The data directory: {@code --data-dir}, else {@link Datasets#defaultDataDir()}. */
    Path dataDir() {
        return dataDir != null ? dataDir : Datasets.defaultDataDir();
    }

    /** The system properties the given options stand for (only those given: the rest keep their defaults). */
    Map<String, String> systemProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (kernels != null) {
            p.put(KernelProvider.IMPL_PROPERTY, kernels.id());
        }
        if (blas != null) {
            p.put(BlasProvider.BLAS_PROPERTY, blas.id());
        }
        if (threads != null) {
            p.put(KernelThreads.THREADS_PROPERTY, Integer.toString(threads));
        }
        return p;
    }

    /** Sets {@link #systemProperties()}; must run before the first kernel or BLAS call of the process. */
    void apply() {
        systemProperties().forEach(System::setProperty);
    }

    /** Rejects those of {@code options} given on the command line as a usage error: they do not apply to {@code what}. */
    static void rejectGiven(CommandSpec spec, String what, List<String> options) {
        List<String> given = options.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
        if (!given.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join(", ", given)
                    + (given.size() == 1 ? " does" : " do") + " not apply to " + what);
        }
    }
}
