package dev.sparsecf.models;

import java.util.Arrays;

/**
 * Architecture and optimiser settings of a Mult-VAE or Mult-DAE. {@code encoderHidden} lists the encoder's
 * hidden widths between the items and the latent code; the decoder mirrors it. Defaults follow Liang et al.:
 * VAE [I-600-200-600-I], DAE [I-200-I] with weight decay 0.01 / batch, dropout 0.5, Adam 1e-3, batch 500.
 * {@code weightDecay} is the lambda of a {@code lambda * sum(w^2)} term added to the per-user mean loss.
 */
public record ModelConfig(Kind kind, int[] encoderHidden, int latent, double dropout, double learningRate,
                          int batchSize, double weightDecay, long seed) {

    /** Variational (sampled latent, KL term) or denoising (deterministic code, weight decay). */
    public enum Kind { VAE, DAE }

    public ModelConfig {
        if (kind == null) {
            throw new IllegalArgumentException("model kind is required");
        }
        encoderHidden = encoderHidden == null ? new int[0] : encoderHidden.clone();
        for (int h : encoderHidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer widths must be >= 1, got " + Arrays.toString(encoderHidden));
            }
        }
        if (latent < 1) {
            throw new IllegalArgumentException("latent dimension must be >= 1, got " + latent);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
    }

    /** Liang et al.'s Mult-VAE: [I-600-200-600-I], tanh, dropout 0.5, no weight decay. */
    public static ModelConfig multVae(long seed) {
        return new ModelConfig(Kind.VAE, new int[] {600}, 200, 0.5, 1e-3, 500, 0.0, seed);
    }

    /**
     * Liang et al.'s Mult-DAE: [I-200-I], tanh, dropout 0.5, L2 weight decay {@code lambda = 0.01 / batch} on the
     * weights (their notebook passes {@code lam=0.01 / batch_size} to a loss that is a per-user mean).
     */
    public static ModelConfig multDae(long seed) {
        return new ModelConfig(Kind.DAE, new int[0], 200, 0.5, 1e-3, 500, 0.01 / 500, seed);
    }

    /** A copy with another batch size. */
    public ModelConfig withBatchSize(int newBatchSize) {
        return new ModelConfig(kind, encoderHidden, latent, dropout, learningRate, newBatchSize, weightDecay, seed);
    }

    @Override
    public int[] encoderHidden() {
        return encoderHidden.clone();
    }

    /**
     * The {@code {in, out}} widths of each affine layer for {@code items} items. VAE: encoder
     * {@code I -> h.. -> 2*latent} (mu | logvar), decoder {@code latent -> ..h -> I}; DAE:
     * {@code I -> h.. -> latent -> ..h -> I}.
     */
    public int[][] layerShapes(int items) {
        int h = encoderHidden.length;
        int[] encoder = new int[h + 2];
        encoder[0] = items;
        System.arraycopy(encoderHidden, 0, encoder, 1, h);
        encoder[h + 1] = kind == Kind.VAE ? 2 * latent : latent;
        int[] decoder = new int[h + 2];
        decoder[0] = latent;
        for (int i = 0; i < h; i++) {
            decoder[i + 1] = encoderHidden[h - 1 - i];
        }
        decoder[h + 1] = items;
        int[][] shapes = new int[2 * (h + 1)][];
        for (int l = 0; l <= h; l++) {
            shapes[l] = new int[] {encoder[l], encoder[l + 1]};
            shapes[h + 1 + l] = new int[] {decoder[l], decoder[l + 1]};
        }
        return shapes;
    }

    /** The number of encoder layers; for the VAE the last of them outputs (mu | logvar). */
    public int encoderLayers() {
        return encoderHidden.length + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && kind == c.kind && Arrays.equals(encoderHidden, c.encoderHidden)
                && latent == c.latent && Double.compare(dropout, c.dropout) == 0
                && Double.compare(learningRate, c.learningRate) == 0 && batchSize == c.batchSize
                && Double.compare(weightDecay, c.weightDecay) == 0 && seed == c.seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoderHidden) * 31 + java.util.Objects.hash(kind, latent, dropout, learningRate, batchSize,
                weightDecay, seed);
    }

    @Override
    public String toString() {
        StringBuilder dims = new StringBuilder("I");
        for (int width : encoderHidden) {
            dims.append('-').append(width);
        }
        dims.append('-').append(latent);
        for (int i = encoderHidden.length - 1; i >= 0; i--) {
            dims.append('-').append(encoderHidden[i]);
        }
        dims.append("-I");
        return "ModelConfig[" + kind + ", " + dims + ", dropout=" + dropout
                + ", lr=" + learningRate + ", batch=" + batchSize + ", weightDecay=" + weightDecay + ", seed=" + seed + "]";
    }
}
