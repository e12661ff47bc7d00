package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.util.List;

/**
 * A named problem size of the Mult-VAE first layer: a batch of {@code users} click rows over {@code items}
 * items, projected to {@code hidden} units. The names are the values of the benchmarks' {@code shape} param.
 */
public record BenchShape(String name, int users, int items, int hidden, double meanActivity) {

    /** A Mult-VAE training batch on MovieLens-20M: 500 users, 20,108 items, 600 hidden units, ~73 clicks/user. */
    public static final BenchShape ML20M_VAE = new BenchShape("ml20m-vae", 500, SyntheticClicks.ML20M_ITEMS, 600,
            SyntheticClicks.ML20M_MEAN_ACTIVITY);

    /**
     * Small and awkward on purpose: prime item count and a hidden size that is no multiple of any vector
     * width, so masked tails and thread splitting dominate instead of the main loops.
     */
    public static final BenchShape AWKWARD = new BenchShape("awkward-37x1021x103", 37, 1021, 103, 20);

    /** Every shape, in the order of the benchmarks' {@code @Param} lists. */
    public static final List<BenchShape> ALL = List.of(ML20M_VAE, AWKWARD);

    /** The shape called {@code name}; throws naming the known shapes otherwise. */
    public static BenchShape named(String name) {
        for (BenchShape s : ALL) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown shape '" + name + "'; expected one of "
                + ALL.stream().map(BenchShape::name).toList());
    }

    /** The batch's seeded synthetic clicks: {@code users x items}, heavy-tailed activity, at least 5 per user. */
    public CsrMatrix clicks(long seed) {
        return SyntheticClicks.generate(users, items, meanActivity, seed);
    }
}
