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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared JMH configuration and trial plumbing of the kernel benchmarks: builds the {@code impl} kernels
 * (same thread count for every impl: {@code -Dsparsecf.threads}, default all cores), lets the subclass make
 * seeded data for {@code shape}, and after the trial checks the last output against the scalar kernels,
 * outside the timed region, so that a fast number can never be a wrong one.
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
@Fork(value = 2, jvmArgsAppend = {KernelBenchmark.ADD_VECTOR_MODULE, KernelBenchmark.NATIVE_ACCESS,
        KernelBenchmark.UNSAFE_ACCESS, KernelBenchmark.HEAP_MIN, KernelBenchmark.HEAP_MAX, KernelBenchmark.PRE_TOUCH})
// one JMH thread: the kernels split each call over their own KernelThreads pool
@Threads(1)
@State(Scope.Benchmark)
public abstract class KernelBenchmark {

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

    /** Seed of every benchmark's data: scalar and panama trials see identical inputs. */
    static final long SEED = 20_108L;

    /** The kernel implementation under test: the {@code -Dsparsecf.kernels} ids. */
    @Param({"scalar", "panama"})
    public String impl;

    /** A {@link BenchShape} name. */
    @Param({"ml20m-vae", "awkward-37x1021x103"})
    public String shape;

    /** The kernels under test. */
    protected Kernels kernels;

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    /** Builds the kernels, prints what was resolved (guards against a silent fallback) and makes the data. */
    @Setup(Level.Trial)
    public final void setUpTrial() {
        if (!impl.equals("scalar") && !impl.equals("panama")) {
            throw new IllegalArgumentException("unknown impl '" + impl + "'; expected scalar or panama");
        }
        kernels = Kernels.create(impl, KernelThreads.configuredThreads());
        if (!kernels.implementationName().equals(impl)) {
            throw new IllegalStateException("asked for " + impl + " kernels, got " + kernels.implementationName());
        }
        System.out.println("# " + benchmarkName() + " impl=" + kernels.implementationName() + " shape=" + shape + ": "
                + kernels.startupLine());
        prepare(BenchShape.named(shape), new SplittableRandom(SEED));
    }

    /** Checks the last output against the scalar kernels (throws on mismatch), then frees the data. */
    @TearDown(Level.Trial)
    public final void verifyAndFree() throws Exception {
        try {
            verify(Kernels.create("scalar", kernels.threads()));
        } finally {
            while (!owned.isEmpty()) {
                owned.pop().close();
            }
        }
    }

    /** Allocates and fills the inputs and outputs of {@code s}; called once per trial. */
    protected abstract void prepare(BenchShape s, SplittableRandom rnd);

    /** Recomputes the last output with {@code reference} and throws {@link IllegalStateException} on mismatch. */
    protected abstract void verify(Kernels reference);

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

    /** "SpmmBenchmark[panama, ml20m-vae]", the prefix of every mismatch message. */
    protected final String trialName() {
        return String.format(Locale.ROOT, "%s[%s, %s]", benchmarkName(), impl, shape);
    }

    /** The benchmark class's name; JMH runs a generated subclass ({@code jmh_generated.SpmmBenchmark_jmhType}). */
    private String benchmarkName() {
        Class<?> c = getClass();
        while (c.getPackageName().endsWith(".jmh_generated")) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }
}
