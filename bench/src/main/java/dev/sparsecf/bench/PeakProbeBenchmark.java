package dev.sparsecf.bench;

import dev.sparsecf.kernels.KernelThreads;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The machine's two roofs, measured in the same session as the kernels so that a kernel's rate can be gated as a
 * fraction of them on any CPU (the roofline gate of {@code bench/gates.json}):
 * <ul>
 *   <li>{@code triad}: STREAM's triad {@code a = b + s * c} over three float arrays of {@value #TRIAD_FLOATS}
 *       elements (768 MB together, beyond any cache), split over the kernel threads; bytes counted as STREAM
 *       counts them, 12 per element (two reads, one write; no write-allocate read).</li>
 *   <li>{@code fma}: float FMA throughput: each kernel thread runs {@value #FMA_DEPTH} dependent FMAs on every
 *       element of its own L1-resident array of {@value #FMA_FLOATS} floats, a loop C2 vectorizes to the
 *       preferred width and unrolls into independent chains; 2 flops per FMA.</li>
 * </ul>
 * Plain Java loops (C2's auto-vectorization), so that the probes depend on no kernel they judge.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -jar bench/target/sparsecf-bench.jar PeakProbeBenchmark}.
 */
public class PeakProbeBenchmark extends TrialBenchmark {

    /** Elements of each triad array: 64 Mi floats, 256 MB. */
    static final int TRIAD_FLOATS = 1 << 26;
    /** Elements of each thread's FMA array: 4 KB, well inside L1. */
    static final int FMA_FLOATS = 1024;
    /** Dependent FMAs per element and pass. */
    static final int FMA_DEPTH = 8;
    /** FMA passes over the array per call per thread. */
    static final int FMA_PASSES = 20_000;

    private KernelThreads pool;
    private float[] a;
    private float[] b;
    private float[] c;
    private float[][] fmaData;

    @Override
    protected void prepareTrial() {
        pool = KernelThreads.of(KernelThreads.configuredThreads());
        a = new float[TRIAD_FLOATS];
        b = new float[TRIAD_FLOATS];
        c = new float[TRIAD_FLOATS];
        Arrays.fill(b, 1f);
        Arrays.fill(c, 2f);
        fmaData = new float[pool.threads()][FMA_FLOATS];
    }

    @Setup(Level.Iteration)
    public void resetFmaData() {
        for (float[] d : fmaData) {
            Arrays.fill(d, 0.5f); // x -> 0.999 x + 0.0005 stays near 0.5: no overflow or subnormals
        }
    }

    @Benchmark
    public void triad(BytesCounter traffic) {
        float s = 3f;
        pool.forEqualRanges(TRIAD_FLOATS, 1024, (from, to) -> {
            for (int i = from; i < to; i++) {
                a[i] = b[i] + s * c[i];
            }
        });
        traffic.bytes += 3L * Float.BYTES * TRIAD_FLOATS;
    }

    @Benchmark
    public void fma(FlopsCounter work) {
        pool.forEqualRanges(fmaData.length, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                fmaPasses(fmaData[t]);
            }
        });
        work.flops += 2L * FMA_DEPTH * FMA_FLOATS * FMA_PASSES * fmaData.length;
    }

    private static void fmaPasses(float[] x) {
        float m = 0.999f;
        float k = 0.0005f;
        for (int pass = 0; pass < FMA_PASSES; pass++) {
            for (int i = 0; i < x.length; i++) {
                float v = x[i];
                v = Math.fma(v, m, k);
                v = Math.fma(v, m, k);
                v = Math.fma(v, m, k);
                v = Math.fma(v, m, k);
                v = Math.fma(v, m, k);
                v = Math.fma(v, m, k);
                v = Math.fma(v, m, k);
                x[i] = Math.fma(v, m, k);
            }
        }
    }

    /** The triad's last element is 1 + 3 * 2 once it ran (0 in the FMA trial); the FMA data stays near 0.5. */
    @Override
    protected void verifyTrial() {
        float last = a[TRIAD_FLOATS - 1];
        float x = fmaData[0][0];
        if (!(last == 7f || last == 0f) || !(x > 0.4f && x < 0.6f)) {
            throw new IllegalStateException(trialName() + ": probe output went wrong: a[last] = " + last + ", x = " + x);
        }
    }

    @Override
    protected String trialParams() {
        return "threads " + pool.threads();
    }
}
