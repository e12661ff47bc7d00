package dev.sparsecf.bench;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared JMH configuration and trial plumbing of every benchmark: the subclass makes seeded data once per trial
 * and, after the trial, checks its last output against a reference outside the timed region, so that a fast
 * number can never be a wrong one; resources it registers with {@link #owned} are freed after that check.
 */
// throughput in ops/s: the aux counters (bytes, flops) then come out per second too
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// long warmup: until C2 has compiled a kernel, the Vector API runs as its Java fallback, 100-1000x slower;
// C2 code arrived after 13-16 s of calls with the 2 cores busy with other work (when C1 still gave up on
// PanamaSpmm.add4), after about 3 s with -XX:-TieredCompilation (not used: training runs tiered)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 1)
// JIT decisions and memory placement differ per JVM: two forks show that spread, one long fork hides it;
// fixed, pre-touched heap so that no GC resizing or page faults land inside a measurement
@Fork(value = 2, jvmArgsAppend = {TrialBenchmark.ADD_VECTOR_MODULE, TrialBenchmark.NATIVE_ACCESS,
        TrialBenchmark.UNSAFE_ACCESS, TrialBenchmark.HEAP_MIN, TrialBenchmark.HEAP_MAX, TrialBenchmark.PRE_TOUCH})
// one JMH thread: the kernels split each call over their own KernelThreads pool (OpenBLAS over its own threads)
@Threads(1)
@State(Scope.Benchmark)
public abstract class TrialBenchmark {

    static final String ADD_VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** JMH 1.37 uses sun.misc.Unsafe; JDK 25 warns about it in every fork unless allowed. */
    static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    static final String HEAP_MIN = "-Xms2g";
    static final String HEAP_MAX = "-Xmx2g";
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    /** The JVM flags every fork gets (the {@code @Fork(jvmArgsAppend)} list). */
    public static final List<String> FORK_JVM_ARGS =
            List.of(ADD_VECTOR_MODULE, NATIVE_ACCESS, UNSAFE_ACCESS, HEAP_MIN, HEAP_MAX, PRE_TOUCH);

    /** Seed of every benchmark's data: all implementations of a trial see identical inputs. */
    static final long SEED = 20_108L;

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    /** Resolves the implementation (printing it: guards against a silent fallback) and makes the data. */
    @Setup(Level.Trial)
    public final void setUpTrial() {
        prepareTrial();
    }

    /** Checks the last output against the reference (throws on mismatch), then frees the data. */
    @TearDown(Level.Trial)
    public final void verifyAndFree() throws Exception {
        try {
            verifyTrial();
        } finally {
            while (!owned.isEmpty()) {
                owned.pop().close();
            }
        }
    }

    /** Builds the implementation named by the trial's params and allocates its inputs and outputs. */
    protected abstract void prepareTrial();

    /** Recomputes (part of) the last output with a reference and throws {@link IllegalStateException} on mismatch. */
    protected abstract void verifyTrial();

    /** The trial's params for messages, e.g. "panama, ml20m-vae". */
    protected abstract String trialParams();

    /** Registers {@code resource} to be closed after the trial, and returns it. */
    protected final <T extends AutoCloseable> T owned(T resource) {
        owned.push(resource);
        return resource;
    }

    /** A trial-owned {@code rows x cols} matrix of independent N(0, sigma^2) entries. */
    protected final DenseMatrix gaussian(int rows, int cols, double sigma, SplittableRandom rnd) {
        DenseMatrix m = owned(DenseMatrix.allocate(rows, cols));
        for (int i = 0; i < rows; i++) {
            MemorySegment row = m.row(i);
            for (int j = 0; j < cols; j++) {
                row.setAtIndex(ValueLayout.JAVA_FLOAT, j, (float) (sigma * rnd.nextGaussian()));
            }
        }
        return m;
    }

    /**
     * The kernels of implementation {@code impl} ({@code scalar} or {@code panama}) at {@code -Dsparsecf.threads}
     * threads; prints what was resolved and fails if it differs.
     */
    protected final Kernels sparseKernels(String impl) {
        Kernels kernels = Kernels.create(impl, KernelThreads.configuredThreads());
        if (!kernels.implementationName().equals(impl)) {
            throw new IllegalStateException("asked for " + impl + " kernels, got " + kernels.implementationName());
        }
        System.out.println("# " + trialName() + ": " + kernels.startupLine());
        return kernels;
    }

    /**
     * The dense backend of a dense-kernel {@code impl}: {@code scalar} or {@code panama} (the Java kernels),
     * {@code openblas} or {@code dnnl} (oneDNN's GEMM, OpenBLAS's inverse), {@code dnnl-bf16} (oneDNN's matmul on
     * operands rounded to bf16, float32 accumulation), {@code mkl} (Intel MKL's GEMM and sweep inverse; a build with
     * {@code -Pmkl}, chosen with {@code -p impl=mkl}), at {@code -Dsparsecf.threads} threads;
     * prints what was resolved and fails if it differs.
     */
    protected final Kernels denseKernels(String impl) {
        int threads = KernelThreads.configuredThreads();
        Kernels kernels = switch (impl) {
            // the Java kernels are unused on the native backends; scalar always loads
            case "openblas", "dnnl", "mkl" -> Kernels.create("scalar", impl, threads);
            case "scalar", "panama" -> Kernels.create(impl, "java", threads);
            case "dnnl-bf16" -> Kernels.create("scalar", "dnnl", threads).withBf16Gemm();
            default -> throw new IllegalArgumentException("unknown impl '" + impl
                    + "'; expected scalar, panama, openblas, dnnl, dnnl-bf16 or mkl");
        };
        String expected = switch (impl) {
            case "openblas", "mkl" -> impl;
            case "dnnl", "dnnl-bf16" -> "gemm " + impl + ", inverse openblas"; // oneDNN has no LAPACK
            default -> "java/" + impl;
        };
        if (!kernels.denseImplementationName().equals(expected)) {
            throw new IllegalStateException("asked for " + impl + ", got " + kernels.denseImplementationName());
        }
        System.out.println("# " + trialName() + ": dense algebra " + kernels.denseImplementationName() + ", " + threads
                + " thread" + (threads == 1 ? "" : "s") + (impl.equals("openblas") ? ", OPENBLAS_CORETYPE="
                + System.getenv("OPENBLAS_CORETYPE") : ""));
        return kernels;
    }

    /** "SpmmBenchmark[panama, ml20m-vae]", the prefix of every mismatch message. */
    protected final String trialName() {
        return String.format(Locale.ROOT, "%s[%s]", benchmarkName(), trialParams());
    }

    /** The benchmark class's name; JMH runs a generated subclass ({@code jmh_generated.SpmmBenchmark_jmhType}). */
    protected final String benchmarkName() {
        Class<?> c = getClass();
        while (c.getPackageName().endsWith(".jmh_generated")) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }
}
