package dev.sparsecf.models;

import dev.sparsecf.data.IdMap;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.EaseModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The stored model files under {@code src/test/resources/model-files}: a tiny Mult-VAE and a tiny EASE model whose
 * weights come from a formula, so that {@link ModelFileTest} can rebuild them and check that files an earlier build
 * wrote still load. Written once per format version (keep the old files when the version changes) by
 * {@code java -cp models/target/test-classes:models/target/classes:kernels/target/classes
 * dev.sparsecf.models.ModelFileFixtures models/src/test/resources/model-files}.
 */
public final class ModelFileFixtures {

    /** The Mult-VAE fixture of format version 1. */
    static final String VAE_V1 = "multvae-v1.sparsecf";
    /** The EASE fixture of format version 1. */
    static final String EASE_V1 = "ease-v1.sparsecf";
    /** The fixtures' free-form metadata. */
    static final Map<String, String> METADATA = Map.of("dataset", "fixture");
    /** Ten item ids, one of them outside ASCII (stored as modified UTF-8). */
    static final IdMap ITEMS = IdMap.of(List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "item-\u00e4"));
    static final double EASE_LAMBDA = 12.5;

    private ModelFileFixtures() {
    }

    /** A Mult-VAE [10-6-3-6-10] whose every weight is a fixed function of its matrix and position. */
    static MultVae multVae(Kernels kernels) {
        ModelConfig config = new ModelConfig(ModelConfig.Kind.VAE, new int[] {6}, 3, 0.5, 1e-3, 4, 0, 7);
        MultVae model = new MultVae(config, ITEMS.size(), kernels);
        List<DenseMatrix> params = model.parameters();
        for (int t = 0; t < params.size(); t++) {
            fill(params.get(t), t, false);
        }
        return model;
    }

    /** An EASE model over the ten items whose B (zero diagonal) is a fixed function of the position. */
    static EaseModel ease(Kernels kernels) {
        DenseMatrix b = DenseMatrix.allocate(ITEMS.size(), ITEMS.size());
        fill(b, 0, true);
        return EaseModel.of(b, EASE_LAMBDA, kernels);
    }

    /** {@code m_ij = sin(1 + 131 t + 17 i + j) / 2} (StrictMath: the same floats everywhere), 0 on the diagonal if asked. */
    private static void fill(DenseMatrix m, int t, boolean zeroDiagonal) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, zeroDiagonal && i == j ? 0f : (float) (StrictMath.sin(1 + 131 * t + 17 * i + j) / 2));
            }
        }
    }

    /** Writes both fixtures into {@code args[0]}, replacing existing ones. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Kernels kernels = Kernels.create("scalar", "java", 1);
        try (MultVae vae = multVae(kernels); EaseModel ease = ease(kernels)) {
            ModelFile.save(vae, ITEMS, METADATA, dir.resolve(VAE_V1), true);
            ModelFile.save(ease, ITEMS, METADATA, dir.resolve(EASE_V1), true);
        }
    }
}
