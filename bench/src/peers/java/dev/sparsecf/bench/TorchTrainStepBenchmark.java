package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.models.Batches;
import dev.sparsecf.models.ModelConfig;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
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
 * The peer of {@link TrainStepBenchmark}: the same Mult-VAE training step ([I-600-200-600-I], tanh, batch of 500
 * users of the ML-20M shape, the same seeded batch, L2-normalised dropped-out input, reparameterised sample,
 * multinomial log-likelihood plus beta 0.2 times the KL, Adam lr 1e-3) in libtorch (bytedeco's JavaCPP
 * {@code pytorch} preset), autograd doing the backward pass, {@code torch::set_num_threads(-Dsparsecf.threads)}.
 * The first layer is {@code input} = {@code sparse} (the batch as a sparse CSR tensor times the dense weight) or
 * {@code dense} (the batch as a dense 500 x 20,108 tensor, as most PyTorch Mult-VAE code does). Flops are counted as
 * in {@link TrainStepBenchmark} (the sparse count for both), so the two scores compare directly.
 *
 * <p>Only in the {@code peers-torch} Maven profile, which downloads libtorch (92 MB, about 350 MB unpacked):
 * {@code ./sparsecf bench --peers} or {@code mvn -B -pl bench -am package -Ppeers-torch -DskipTests} and
 * {@code java -jar bench/target-peers/sparsecf-bench.jar 'TrainStepBenchmark'}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {TrialBenchmark.ADD_VECTOR_MODULE, TrialBenchmark.NATIVE_ACCESS,
        TrialBenchmark.UNSAFE_ACCESS, "-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class TorchTrainStepBenchmark {

    /** The first layer: a sparse CSR input tensor, or the same input made dense. */
    @Param({"sparse", "dense"})
    public String input;

    private Tensor x;
    private Tensor targets;
    private Tensor[] weights;
    private Tensor[] biases;
    private Adam adam;
    private int latent;
    private long flopsPerStep;
    private final Scalar beta = new Scalar(0.2);

    @Setup(Level.Trial)
    public void setUp() {
        int threads = KernelThreads.configuredThreads();
        torch.set_num_threads(threads);
        torch.manual_seed(TrialBenchmark.SEED);
        System.out.println("# TorchTrainStepBenchmark input=" + input + ", libtorch threads " + torch.get_num_threads()
                + ", CPU capability " + torch.get_cpu_capability().getString());
        System.out.println("# libtorch show_config: " + torch.show_config().getString().replace("\n", "\n#   "));
        System.out.println("# libtorch parallel_info: " + torch.get_parallel_info().getString().replace("\n", "\n#   "));
        ModelConfig config = ModelConfig.multVae(1);
        int users = config.batchSize();
        int items = BenchShape.ML20M_VAE.items();
        int[][] shapes = config.layerShapes(items);
        latent = config.latent();
        try (CsrMatrix clicks = BenchShape.ML20M_VAE.clicks(TrialBenchmark.SEED)) {
            int[] all = new int[users];
            for (int u = 0; u < users; u++) {
                all[u] = u;
            }
            try (Batches.Batch batch = Batches.gather(clicks, all, 0, users, config.dropout(),
                    new SplittableRandom(TrialBenchmark.SEED))) {
                x = csr(batch.input(), batch.rowScale());
                targets = dense(batch.targets());
                if (input.equals("dense")) {
                    x = x.to_dense();
                } else if (!input.equals("sparse")) {
                    throw new IllegalArgumentException("input must be sparse or dense, got " + input);
                }
                long flops = 2L * 2 * batch.input().nnz() * shapes[0][1];
                for (int l = 1; l < shapes.length; l++) {
                    flops += 3L * 2 * users * shapes[l][0] * shapes[l][1];
                }
                flopsPerStep = flops;
            }
        }
        weights = new Tensor[shapes.length];
        biases = new Tensor[shapes.length];
        TensorVector params = new TensorVector();
        for (int l = 0; l < shapes.length; l++) {
            double a = Math.sqrt(6.0 / (shapes[l][0] + shapes[l][1])); // Xavier-uniform, as MultVae
            weights[l] = torch.rand(shapes[l][0], shapes[l][1]).mul(new Scalar(2 * a)).add(new Scalar(-a)).set_requires_grad(true);
            biases[l] = torch.zeros(shapes[l][1]).set_requires_grad(true);
            params.push_back(weights[l]);
            params.push_back(biases[l]);
        }
        adam = new Adam(params, new AdamOptions(config.learningRate()));
    }

    /** The batch as a CSR tensor whose values are the dropped-out clicks times each row's L2 normaliser. */
    private static Tensor csr(CsrMatrix a, float[] rowScale) {
        long[] rowPtr = new long[a.rows() + 1];
        long[] cols = new long[(int) a.nnz()];
        float[] values = new float[(int) a.nnz()];
        for (int i = 0; i < a.rows(); i++) {
            rowPtr[i + 1] = a.rowEnd(i);
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                cols[p] = a.col(p);
                values[p] = (a.isBinary() ? 1f : a.value(p)) * rowScale[i];
            }
        }
        return torch.sparse_csr_tensor(Tensor.create(rowPtr), Tensor.create(cols), Tensor.create(values),
                new long[] {a.rows(), a.cols()}, new org.bytedeco.pytorch.TensorOptions());
    }

    private static Tensor dense(CsrMatrix a) {
        float[] d = new float[a.rows() * a.cols()];
        for (int i = 0; i < a.rows(); i++) {
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                d[i * a.cols() + a.col(p)] = a.isBinary() ? 1f : a.value(p);
            }
        }
        return Tensor.create(d, a.rows(), a.cols());
    }

    @Benchmark
    public double step(FlopsCounter work) {
        work.flops += flopsPerStep;
        adam.zero_grad();
        Tensor h = torch.addmm(biases[0], x, weights[0]).tanh();
        Tensor muLogvar = torch.addmm(biases[1], h, weights[1]);
        Tensor mu = muLogvar.narrow(1, 0, latent);
        Tensor logvar = muLogvar.narrow(1, latent, latent);
        Tensor std = logvar.mul(new Scalar(0.5)).exp();
        Tensor z = mu.add(torch.randn(mu.size(0), latent).mul(std));
        Tensor h2 = torch.addmm(biases[2], z, weights[2]).tanh();
        Tensor logits = torch.addmm(biases[3], h2, weights[3]);
        Tensor nll = logits.log_softmax(1).mul(targets).sum().neg();
        // KL(q || N(0, I)) = -0.5 sum(1 + logvar - mu^2 - exp(logvar)), summed over users like the NLL
        Tensor kl = logvar.add(new Scalar(1.0)).sub(mu.mul(mu)).sub(logvar.exp()).sum().mul(new Scalar(-0.5));
        Tensor loss = nll.add(kl.mul(beta)).div(new Scalar(mu.size(0)));
        loss.backward();
        adam.step();
        return loss.item_float();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        float loss = (float) step(new FlopsCounter());
        if (!Float.isFinite(loss)) {
            throw new IllegalStateException("libtorch's training step gave a non-finite loss " + loss);
        }
    }
}
