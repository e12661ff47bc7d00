package dev.sparsecf.bench;

import dev.sparsecf.kernels.Bf16Kernels;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.Batches;
import dev.sparsecf.models.ModelConfig;
import dev.sparsecf.models.MultVae;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
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
 * One full Mult-VAE training step (forward, backward, Adam) on a batch of 500 users of the ML-20M shape
 * (20,108 items, [I-600-200-600-I]): the unit of an epoch (273 steps on ML-20M). Flops count the dense
 * products ({@code 2mnk} each: three per affine layer) and the sparse first layer; the 600 x 20,108 output
 * layer is about 97% of them.
 *
 * <p>Run: {@code ./sparsecf bench --include TrainStepBenchmark} (add {@code -p dense=java} for the Java GEMM, and
 * {@code -p precision=float32,bf16} for the output layer's three products in bf16 on oneDNN's matmul beside float32:
 * results/gemm-dnnl, where the epoch gained about 1.5x, under load).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// a step takes ~0.1-0.5 s: a few iterations of a few seconds each
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {TrialBenchmark.ADD_VECTOR_MODULE, TrialBenchmark.NATIVE_ACCESS,
        TrialBenchmark.UNSAFE_ACCESS, "-Xms3g", "-Xmx3g", TrialBenchmark.PRE_TOUCH})
@Threads(1)
@State(Scope.Benchmark)
public class TrainStepBenchmark {

    /** The dense backend ({@code -Dsparsecf.blas} ids): OpenBLAS, oneDNN's GEMM or the Panama GEMM. */
    @Param({"openblas", "dnnl", "java"})
    public String dense;

    /** {@code float32}, or {@code bf16}: the output layer's products with bf16 operands ({@link Bf16Kernels}). */
    @Param({"float32"})
    public String precision;

    private MultVae model;
    private Batches.Batch batch;
    private SplittableRandom rng;
    private long flopsPerStep;

    @Setup(Level.Trial)
    public void setUp() {
        int threads = KernelThreads.configuredThreads();
        Kernels kernels = Kernels.create("panama", dense, threads);
        if (dense.equals("java") == kernels.blas().isNative() || !kernels.blas().name().equals(dense)) {
            throw new IllegalStateException("asked for dense=" + dense + ", got " + kernels.blas().startupLine());
        }
        System.out.println("# TrainStepBenchmark dense=" + kernels.denseImplementationName() + ", " + kernels.startupLine());
        ModelConfig config = ModelConfig.multVae(1);
        int users = config.batchSize();
        try (CsrMatrix clicks = BenchShape.ML20M_VAE.clicks(TrialBenchmark.SEED)) {
            int[] all = new int[users];
            for (int u = 0; u < users; u++) {
                all[u] = u;
            }
            rng = new SplittableRandom(TrialBenchmark.SEED);
            batch = Batches.gather(clicks, all, 0, users, config.dropout(), rng);
        }
        Bf16Kernels bf16 = switch (precision) {
            case "float32" -> null;
            case "bf16" -> Bf16Kernels.load(kernels);
            default -> throw new IllegalArgumentException("precision=" + precision + ": expected float32 or bf16");
        };
        model = new MultVae(config, BenchShape.ML20M_VAE.items(), kernels, bf16);
        int[][] shapes = config.layerShapes(model.items());
        // the first layer is sparse: forward and weight gradient are one FMA per (click, hidden unit); no input gradient
        long flops = 2L * 2 * batch.input().nnz() * shapes[0][1];
        for (int l = 1; l < shapes.length; l++) {
            flops += 3L * 2 * users * shapes[l][0] * shapes[l][1]; // forward, weight gradient, input gradient
        }
        flopsPerStep = flops;
    }

    @Benchmark
    public double step(FlopsCounter work) {
        work.flops += flopsPerStep;
        return model.trainStep(batch.input(), batch.rowScale(), batch.targets(), 0.2, rng).objective();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        batch.close();
    }
}
