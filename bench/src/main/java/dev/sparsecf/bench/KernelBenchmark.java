package dev.sparsecf.bench;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Param;

/**
 * The sparse kernel benchmarks: builds the {@code impl} kernels (same thread count for every impl:
 * {@code -Dsparsecf.threads}, default all cores), lets the subclass make seeded data for {@code shape}, and after
 * the trial checks the last output against the scalar kernels ({@link TrialBenchmark} has the JMH settings).
 */
public abstract class KernelBenchmark extends TrialBenchmark {

    /** The kernel implementation under test: the {@code -Dsparsecf.kernels} ids. */
    @Param({"scalar", "panama"})
    public String impl;

    /** A {@link BenchShape} name. */
    @Param({"ml20m-vae", "awkward-37x1021x103"})
    public String shape;

    /** The kernels under test. */
    protected Kernels kernels;

    @Override
    protected final void prepareTrial() {
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

    @Override
    protected final void verifyTrial() {
        verify(Kernels.create("scalar", kernels.threads()));
    }

    @Override
    protected final String trialParams() {
        return impl + ", " + shape;
    }

    /** Allocates and fills the inputs and outputs of {@code s}; called once per trial. */
    protected abstract void prepare(BenchShape s, SplittableRandom rnd);

    /** Recomputes the last output with {@code reference} and throws {@link IllegalStateException} on mismatch. */
    protected abstract void verify(Kernels reference);

    /** The raw bits of a matrix's valid elements, row-major: for {@code Agreement.requireEqual} on bit-identical contracts. */
    static int[] rawBits(DenseMatrix x) {
        float[] f = x.toArray();
        int[] b = new int[f.length];
        for (int e = 0; e < f.length; e++) {
            b[e] = Float.floatToRawIntBits(f[e]);
        }
        return b;
    }
}
