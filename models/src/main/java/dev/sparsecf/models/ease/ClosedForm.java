package dev.sparsecf.models.ease;

/**
 * The item-item closed forms that {@link EaseFitter} fits: each minimises {@code ||X - X B||_F^2 + ||Lambda^(1/2) B||_F^2}
 * for a diagonal penalty {@code Lambda}, with or without the constraint {@code diag(B) = 0}. With {@code G = X^T X}
 * and {@code P = (G + Lambda)^-1}:
 *
 * <ul>
 *   <li>{@link #EASE} (Steck 2019): {@code Lambda = lambda I}, {@code diag(B) = 0}.</li>
 *   <li>{@link #DLAE} (Steck 2020, "Autoencoders that don't overfit towards the Identity", NeurIPS): dropout of
 *       each input with probability p, the kept ones scaled by {@code 1 / (1 - p)}. For one column k of B, over the
 *       dropout mask, {@code E ||x_k - (d o x / (1 - p)) b_k||^2 = ||x_k - x b_k||^2 + p / (1 - p) sum_j G_jj B_jk^2},
 *       since each {@code d_j / (1 - p)} has mean 1 and variance {@code p / (1 - p)} and the masks are independent.
 *       So {@code Lambda = p / (1 - p) diag(G)} and, unconstrained (full rank), the normal equations
 *       {@code (G + Lambda) B = G} give {@code B = P G = I - P Lambda}: {@code B_ij = delta_ij - P_ij Lambda_jj}.</li>
 *   <li>{@link #EDLAE} (same paper, emphasised denoising): the same {@code Lambda} with {@code diag(B) = 0}, the
 *       constraint that full emphasis on the dropped inputs imposes. With a Lagrange multiplier {@code mu_k} per
 *       column, {@code (G + Lambda) b_k = g_k - mu_k e_k}, so {@code b_k = e_k - P (Lambda_kk + mu_k) e_k}; and
 *       {@code B_kk = 0} gives {@code Lambda_kk + mu_k = 1 / P_kk}: {@code B = I - P diag(1 / diag(P))},
 *       {@code B_ij = -P_ij / P_jj} off the diagonal, EASE's form with the dropout penalty in P.</li>
 * </ul>
 *
 * The searched {@code strength} is lambda for EASE and the dropout odds {@code q = p / (1 - p)} for EDLAE and DLAE,
 * which also take an L2 weight {@code l2} as implementations of the paper do: {@code Lambda_jj = q G_jj + l2} (l2 = 0
 * is dropout alone; q -> 0 is EASE with lambda = l2, so the two-penalty search nests EASE). Without l2 EDLAE lost to
 * EASE on ML-1M (test NDCG@100 0.430 against 0.438) and with it won (0.442), as in the paper. An item without
 * clicks ({@code G_jj = 0}) is penalised as if it had one, so that the matrix stays invertible; its row and column
 * of G are 0, so its weights are 0 either way. Checked against independent code: irspack's {@code EDLAERecommender}
 * (tohtsky/irspack, {@code src/irspack/recommenders/edlae.py}) computes the same {@code Lambda} (its {@code reg} is
 * l2 here) and {@code B_ij = -P_ij / P_jj}, and a public LightGCN-style {@code models.py} with EDLAE/DLAE classes
 * writes DLAE's off-diagonal as {@code -P_ij Lambda_jj}, as here.
 */
public enum ClosedForm {
    EASE("EASE", "lambda", true),
    EDLAE("EDLAE", "dropout odds", true),
    DLAE("DLAE", "dropout odds", false);

    /** The model's name in logs. */
    public final String label;
    /** What the searched strength is called in logs. */
    public final String strength;
    private final boolean zeroDiagonal;

    ClosedForm(String label, String strength, boolean zeroDiagonal) {
        this.label = label;
        this.strength = strength;
        this.zeroDiagonal = zeroDiagonal;
    }

    /** {@code Lambda_jj} for a strength, an L2 weight (0 for EASE, whose strength is its L2 weight) and {@code G_jj}. */
    public double penalty(double strength, double l2, double gramDiagonal) {
        return this == EASE ? strength : strength * Math.max(gramDiagonal, 1) + l2;
    }

    /** Whether B's diagonal is constrained to 0 (EASE, EDLAE) rather than free (DLAE). */
    public boolean zeroDiagonal() {
        return zeroDiagonal;
    }
}
