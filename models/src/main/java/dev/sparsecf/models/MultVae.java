package dev.sparsecf.models;

import dev.sparsecf.kernels.Bf16Kernels;
import dev.sparsecf.kernels.Bf16Matrix;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Mult-VAE and Mult-DAE (Liang et al. 2018, arXiv:1802.05814): an MLP auto-encoder over a user's clicks with
 * a multinomial likelihood. The first layer multiplies the sparse, L2-normalised, dropped-out click row by
 * the SpMM kernel; dense layers use GEMM; the output goes through the fused log-softmax likelihood kernel;
 * the backward pass is written by hand and parameters are updated by Adam.
 *
 * <p>All activations live in buffers sized for {@code batchSize} users, allocated once. Not thread-safe:
 * one batch at a time (the kernels parallelise inside).
 *
 * <p>With {@link Bf16Kernels} the output layer's three products (logits {@code h W}, weight gradient {@code h^T d},
 * input gradient {@code d W^T}), nearly all of a step's flops, take bf16 operands with float32 accumulation; each
 * operand is rounded once per step and shared ({@code W} and {@code h} by the forward pass, {@code d} by the two
 * gradients); every other product stays float32.
 */
public final class MultVae implements AutoCloseable {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private final ModelConfig config;
    private final int items;
    private final Kernels kernels;
    private final Layer[] layers;
    /** Index of the layer whose output holds (mu | logvar); -1 for the DAE. */
    private final int sampleLayer;
    private final int latent;

    private final DenseMatrix[] out;   // post-activation output of each layer (batch x out)
    private final DenseMatrix[] delta; // gradient of the batch-sum loss w.r.t. each layer's pre-activation
    private final DenseMatrix z;       // VAE: sampled latent code (batch x latent)
    private final DenseMatrix noise;   // VAE: the standard normal draws behind z
    private final DenseMatrix dz;      // VAE: gradient w.r.t. z
    private final double[] rowLoss;
    private final double[] rowKl;
    private final float[] uniformBeta; // the scalar-beta overloads' row betas
    private final double[] columnScratch;
    private final Bf16Kernels bf16;   // null: every product in float32
    private final Bf16Matrix hBf16;   // bf16: the output layer's input, rounded in the forward pass
    private final Bf16Matrix wBf16;   // bf16: the output layer's weights, rounded in each forward pass
    private final Bf16Matrix dBf16;   // bf16: the logits' gradient
    private long updates;

    /**
     * Losses of one training step, averaged over the batch's users: {@code beta} is the mean row beta and
     * {@code weightedKl} the mean of {@code beta_u * kl_u} (equal to {@code beta * kl} when every row has the same beta).
     */
    public record StepLoss(double negLogLikelihood, double kl, double beta, double weightedKl) {
        /** The minimised objective without weight decay: mean of NLL_u + beta_u * KL_u. */
        public double objective() {
            return negLogLikelihood + weightedKl;
        }
    }

    /** A new network for {@code items} items with Xavier-uniform weights and near-zero biases, seeded. */
    public MultVae(ModelConfig config, int items, Kernels kernels) {
        this(config, items, kernels, null);
    }

    /** As {@link #MultVae(ModelConfig, int, Kernels)} with the output layer's products in bf16 on {@code bf16} (null: float32). */
    public MultVae(ModelConfig config, int items, Kernels kernels, Bf16Kernels bf16) {
        if (items < 1) {
            throw new IllegalArgumentException("a model needs at least one item, got " + items);
        }
        this.config = config;
        this.items = items;
        this.kernels = kernels;
        this.latent = config.latent();
        int[][] shapes = config.layerShapes(items);
        boolean vae = config.kind() == ModelConfig.Kind.VAE;
        int nLayers = shapes.length;
        this.sampleLayer = vae ? config.encoderLayers() - 1 : -1;
        SplittableRandom init = new SplittableRandom(config.seed());
        layers = new Layer[nLayers];
        out = new DenseMatrix[nLayers];
        delta = new DenseMatrix[nLayers];
        int batch = config.batchSize();
        for (int l = 0; l < nLayers; l++) {
            // tanh everywhere except the encoder's (mu | logvar) output and the logits
            boolean tanh = l != nLayers - 1 && l != sampleLayer;
            layers[l] = new Layer(shapes[l][0], shapes[l][1], tanh, init);
            out[l] = DenseMatrix.allocate(batch, shapes[l][1]);
            // the logits' gradient is written over the logits (in place), saving a batch x items buffer
            delta[l] = l == nLayers - 1 ? out[l] : DenseMatrix.allocate(batch, shapes[l][1]);
        }
        z = vae ? DenseMatrix.allocate(batch, latent) : null;
        noise = vae ? DenseMatrix.allocate(batch, latent) : null;
        dz = vae ? DenseMatrix.allocate(batch, latent) : null;
        rowLoss = new double[batch];
        rowKl = new double[batch];
        uniformBeta = new float[batch];
        columnScratch = new double[Math.max(items, Arrays.stream(shapes).mapToInt(s -> s[1]).max().orElse(1))];
        this.bf16 = bf16;
        int hidden = shapes[nLayers - 1][0];
        hBf16 = bf16 == null ? null : Bf16Matrix.allocate(batch, hidden);
        wBf16 = bf16 == null ? null : Bf16Matrix.allocate(hidden, items);
        dBf16 = bf16 == null ? null : Bf16Matrix.allocate(batch, items);
    }

    public ModelConfig config() {
        return config;
    }

    public int items() {
        return items;
    }

    /** Parameter updates done so far. */
    public long updates() {
        return updates;
    }

    /**
     * One Adam step on a batch: {@code input} is the dropped-out click rows (weighted CSR, values 1/keep),
     * {@code rowScale} their L2 normalisers (1/sqrt(clicks)), {@code targets} the full binary rows.
     */
    public StepLoss trainStep(CsrMatrix input, float[] rowScale, CsrMatrix targets, double beta, RandomGenerator rng) {
        return trainStep(input, rowScale, targets, uniformBeta(beta, input.rows()), rng);
    }

    /**
     * One Adam step as {@link #trainStep(CsrMatrix, float[], CsrMatrix, double, RandomGenerator)} with a KL weight
     * per row: minimises {@code (1/m) sum_u (nll_u + rowBeta[u] * kl_u)}; {@code rowBeta.length >= m}.
     */
    public StepLoss trainStep(CsrMatrix input, float[] rowScale, CsrMatrix targets, float[] rowBeta, RandomGenerator rng) {
        StepLoss loss = gradientOnly(input, rowScale, targets, rowBeta, rng);
        updates++;
        double step = Adam.stepSize(config.learningRate(), updates);
        for (Layer layer : layers) {
            layer.update(kernels, step, config.weightDecay());
        }
        return loss;
    }

    /**
     * Scores every item for each row of {@code input} (no dropout, z = mu) and returns a view of the logits
     * ({@code input.rows() x items}), valid until the next call.
     */
    public DenseMatrix score(CsrMatrix input, float[] rowScale) {
        int m = input.rows();
        checkBatch(m, null);
        forward(input, rowScale, m, null, false);
        return out[layers.length - 1].rows(0, m);
    }

    /**
     * Runs only the encoder (no dropout, no sampling) and returns a view of the {@code m x 2*latent} rows
     * (mu | logvar), valid until the next call. VAE only.
     */
    public DenseMatrix encode(CsrMatrix input, float[] rowScale) {
        if (sampleLayer < 0) {
            throw new UnsupportedOperationException("encode needs a VAE (mu | logvar); this model is a "
                    + config.kind() + " with a deterministic code");
        }
        int m = input.rows();
        checkBatch(m, null);
        forward(input, rowScale, m, null, true);
        return out[sampleLayer].rows(0, m);
    }

    /** The encoder output of the last forward pass (VAE: mu | logvar; DAE: the code); a view of {@code m} rows. */
    public DenseMatrix lastCode(int m) {
        return out[config.encoderLayers() - 1].rows(0, m);
    }

    /** Per-user KL of the last training step (VAE), in batch order. */
    public double[] lastRowKl() {
        return rowKl;
    }

    private void checkBatch(int m, CsrMatrix targets) {
        if (m > config.batchSize()) {
            throw new IllegalArgumentException("batch of " + m + " users exceeds the model's batch size " + config.batchSize());
        }
        if (targets != null && targets.rows() != m) {
            throw new IllegalArgumentException("targets have " + targets.rows() + " rows, input has " + m);
        }
    }

    /**
     * Forward pass; {@code rng == null} means evaluation (z = mu); {@code encoderOnly} stops at (mu | logvar)
     * without sampling.
     */
    private void forward(CsrMatrix input, float[] rowScale, int m, RandomGenerator rng, boolean encoderOnly) {
        int end = encoderOnly ? sampleLayer + 1 : layers.length;
        for (int l = 0; l < end; l++) {
            Layer layer = layers[l];
            DenseMatrix o = out[l].rows(0, m);
            if (l == 0) {
                kernels.spmm(input, layer.w, rowScale, layer.b.row(0), o);
            } else if (bf16 != null && l == layers.length - 1) {
                kernels.broadcastRow(layer.b, o);
                Bf16Matrix h = hBf16.rows(0, m);
                bf16.round(layerInput(l, m), h);
                bf16.round(layer.w, wBf16); // once per step: the input gradient reuses it
                bf16.gemm(false, false, 1f, h, wBf16, 1f, o);
            } else {
                kernels.broadcastRow(layer.b, o);
                kernels.gemm(false, false, 1f, layerInput(l, m), layer.w, 1f, o);
            }
            if (layer.tanh) {
                kernels.tanh(o);
            }
            if (l == sampleLayer && !encoderOnly) {
                sample(o, m, rng);
            }
        }
    }

    private DenseMatrix layerInput(int l, int m) {
        return l - 1 == sampleLayer ? z.rows(0, m) : out[l - 1].rows(0, m);
    }

    /** z = mu + noise * exp(logvar / 2) (or mu in evaluation: zero noise) and the per-row KL to N(0, I). */
    private void sample(DenseMatrix muLogvar, int m, RandomGenerator rng) {
        // the draws stay here, on one thread in row-major order: a seeded run gives the same noise for any kernels
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < latent; j++) {
                noise.set(i, j, rng == null ? 0f : (float) rng.nextGaussian());
            }
        }
        kernels.sample(muLogvar, noise.rows(0, m), z.rows(0, m), rowKl);
    }

    /** Gradients of (1/m) * sum_u (nll_u + rowBeta[u] * kl_u) into every layer's gw/gb. */
    private void backward(CsrMatrix input, float[] rowScale, int m, float[] rowBeta) {
        float invM = 1f / m;
        for (int l = layers.length - 1; l >= 0; l--) {
            Layer layer = layers[l];
            DenseMatrix d = delta[l].rows(0, m);
            if (layer.tanh) {
                kernels.tanhBackward(out[l].rows(0, m), d);
            }
            kernels.columnSums(d, invM, layer.gb, columnScratch);
            if (l > 0) {
                DenseMatrix dIn = l - 1 == sampleLayer ? dz.rows(0, m) : delta[l - 1].rows(0, m);
                if (bf16 != null && l == layers.length - 1) {
                    // h and W were rounded by the forward pass; d once here, for both products
                    Bf16Matrix db = dBf16.rows(0, m);
                    bf16.round(d, db);
                    bf16.gemm(true, false, invM, hBf16.rows(0, m), db, 0f, layer.gw);
                    bf16.gemm(false, true, 1f, db, wBf16, 0f, dIn);
                } else {
                    kernels.gemm(true, false, invM, layerInput(l, m), d, 0f, layer.gw);
                    kernels.gemm(false, true, 1f, d, layer.w, 0f, dIn);
                }
                if (l - 1 == sampleLayer) {
                    kernels.sampleBackward(out[sampleLayer].rows(0, m), noise.rows(0, m), dz.rows(0, m), rowBeta,
                            delta[sampleLayer].rows(0, m));
                }
            } else {
                // the first layer saw diag(rowScale) * input: fold the scale (and 1/m) into the rows of d
                kernels.scaleRows(d, rowScale, invM);
                layer.gw.fill(0f);
                kernels.spmmTransposeAccumulate(input, d, layer.gw);
            }
        }
    }

    /** Weights and biases in layer order (w0, b0, w1, b1, ...): views of the live parameters. */
    public List<DenseMatrix> parameters() {
        List<DenseMatrix> params = new ArrayList<>();
        for (Layer layer : layers) {
            params.add(layer.w);
            params.add(layer.b);
        }
        return params;
    }

    /** Adam's moments (mw, vw, mb, vb per layer): views, which a checkpoint saves and restores with {@link #updates()}. */
    List<DenseMatrix> optimizerState() {
        List<DenseMatrix> moments = new ArrayList<>();
        for (Layer layer : layers) {
            moments.addAll(List.of(layer.mw, layer.vw, layer.mb, layer.vb));
        }
        return moments;
    }

    /** Sets the update count (Adam's bias correction depends on it) of a model whose state a checkpoint restored. */
    void restoreUpdates(long updates) {
        this.updates = updates;
    }

    /** Gradients from the last training step, in the order of {@link #parameters()}. */
    List<DenseMatrix> gradients() {
        List<DenseMatrix> grads = new ArrayList<>();
        for (Layer layer : layers) {
            grads.add(layer.gw);
            grads.add(layer.gb);
        }
        return grads;
    }

    /** Forward pass, loss and gradients of a batch, without updating parameters (a training step; gradient checks). */
    StepLoss gradientOnly(CsrMatrix input, float[] rowScale, CsrMatrix targets, double beta, RandomGenerator rng) {
        return gradientOnly(input, rowScale, targets, uniformBeta(beta, input.rows()), rng);
    }

    /** As {@link #gradientOnly(CsrMatrix, float[], CsrMatrix, double, RandomGenerator)} with a KL weight per row. */
    StepLoss gradientOnly(CsrMatrix input, float[] rowScale, CsrMatrix targets, float[] rowBeta, RandomGenerator rng) {
        int m = input.rows();
        checkBatch(m, targets);
        checkBetas(rowBeta, m);
        forward(input, rowScale, m, rng, false);
        DenseMatrix logits = out[layers.length - 1].rows(0, m);
        double nll = kernels.multinomialLikelihood(logits, targets, logits, rowLoss) / m;
        double betaSum = 0;
        double kl = 0;
        double weightedKl = 0;
        for (int i = 0; i < m; i++) {
            betaSum += rowBeta[i];
            if (sampleLayer >= 0) {
                kl += rowKl[i];
                weightedKl += rowBeta[i] * rowKl[i];
            }
        }
        backward(input, rowScale, m, rowBeta);
        return new StepLoss(nll, kl / m, betaSum / m, weightedKl / m);
    }

    private float[] uniformBeta(double beta, int m) {
        checkBatch(m, null);
        Arrays.fill(uniformBeta, 0, m, (float) beta);
        return uniformBeta;
    }

    private static void checkBetas(float[] rowBeta, int m) {
        if (rowBeta.length < m) {
            throw new IllegalArgumentException("rowBeta has " + rowBeta.length + " entries for a batch of " + m + " users");
        }
        for (int i = 0; i < m; i++) {
            if (!(rowBeta[i] >= 0) || Float.isInfinite(rowBeta[i])) {
                throw new IllegalArgumentException("beta of batch row " + i + " must be a finite number >= 0, got " + rowBeta[i]);
            }
        }
    }

    /** The output layer's input in the last pass ({@code m} rows; tests check the bf16 products with it). */
    DenseMatrix outputLayerInput(int m) {
        return layerInput(layers.length - 1, m);
    }

    /** The logits' gradient after a training step's backward pass ({@code m} rows; it overwrote the logits). */
    DenseMatrix outputLayerDelta(int m) {
        return delta[layers.length - 1].rows(0, m);
    }

    /** The noise drawn for the last training step (VAE), batch x latent. */
    DenseMatrix lastNoise() {
        return noise;
    }

    @Override
    public void close() {
        for (int l = 0; l < layers.length; l++) {
            layers[l].close();
            out[l].close();
            if (delta[l] != out[l]) {
                delta[l].close();
            }
        }
        for (DenseMatrix mtx : Arrays.asList(z, noise, dz)) {
            if (mtx != null) {
                mtx.close();
            }
        }
        for (Bf16Matrix mtx : Arrays.asList(hBf16, wBf16, dBf16)) {
            if (mtx != null) {
                mtx.close();
            }
        }
    }

    /** One affine layer: weights {@code in x out}, bias {@code 1 x out}, their gradients and Adam moments. */
    private static final class Layer implements AutoCloseable {
        final boolean tanh;
        final DenseMatrix w;
        final DenseMatrix b;
        final DenseMatrix gw;
        final DenseMatrix gb;
        final DenseMatrix mw;
        final DenseMatrix vw;
        final DenseMatrix mb;
        final DenseMatrix vb;

        Layer(int in, int out, boolean tanh, SplittableRandom init) {
            this.tanh = tanh;
            w = DenseMatrix.allocate(in, out);
            b = DenseMatrix.allocate(1, out);
            gw = DenseMatrix.allocate(in, out);
            gb = DenseMatrix.allocate(1, out);
            mw = DenseMatrix.allocate(in, out);
            vw = DenseMatrix.allocate(in, out);
            mb = DenseMatrix.allocate(1, out);
            vb = DenseMatrix.allocate(1, out);
            // Xavier/Glorot uniform weights; biases ~ N(0, 0.001^2) truncated at 2 sd (Liang et al.'s code)
            double limit = Math.sqrt(6.0 / (in + out));
            MemorySegment ws = w.segment();
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    ws.set(F, w.offset(i, j), (float) ((2 * init.nextDouble() - 1) * limit));
                }
            }
            for (int j = 0; j < out; j++) {
                double g;
                do {
                    g = init.nextGaussian();
                } while (Math.abs(g) > 2);
                b.set(0, j, (float) (0.001 * g));
            }
        }

        void update(Kernels kernels, double stepSize, double weightDecay) {
            Adam.update(kernels, w, gw, mw, vw, stepSize, weightDecay);
            Adam.update(kernels, b, gb, mb, vb, stepSize, 0);
        }

        @Override
        public void close() {
            for (DenseMatrix mtx : List.of(w, b, gw, gb, mw, vw, mb, vb)) {
                mtx.close();
            }
        }
    }
}
