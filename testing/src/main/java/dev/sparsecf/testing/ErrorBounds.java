package dev.sparsecf.testing;

/**
 * Error bounds for the kernels, derived from the standard model of floating-point arithmetic,
 * {@code fl(a op b) = (a op b)(1 + d)}, {@code |d| <= u}, with unit roundoff {@code u = 2^-24} (float) and
 * {@code 2^-53} (double); {@code gamma(k) = k u / (1 - k u)} bounds the relative error of {@code k} chained
 * roundings (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1). Every test compares
 * against the double oracle, whose own error ({@code gamma_double}) is added to the bound.
 */
public final class ErrorBounds {

    /** Unit roundoff of float32: a rounded operation is off by at most {@code U_FLOAT * |result|}. */
    public static final double U_FLOAT = 0x1p-24;
    /** Unit roundoff of float64. */
    public static final double U_DOUBLE = 0x1p-53;

    private ErrorBounds() {
    }

    /** {@code gamma(k) = k u / (1 - k u)}: the relative error bound of k chained roundings (Higham, Lemma 3.1). */
    public static double gamma(long k, double u) {
        double ku = k * u;
        if (ku >= 0.5) {
            throw new IllegalArgumentException("gamma(" + k + ") is useless at u = " + u);
        }
        return ku / (1 - ku);
    }

    /**
     * One element of SpMM or SpMM^T: a sum of {@code r} products, plus (SpMM) a row scale and a bias add, or
     * (SpMM^T) the previous value of G. A dot product of {@code r} terms, with or without FMA, errs by at most
     * {@code gamma(r) * sum|terms|} (Higham Eq. 3.5), in any summation order; the scale and the bias (or G's old
     * value) add at most two more roundings. So {@code |c' - c| <= gamma(r + 2) * magnitude} with
     * {@code magnitude = |s| * sum_p |a_ip * b_pj| + |bias_j|} (SpMM) or {@code |g0| + sum |a_ik * d_ij|} (SpMM^T).
     * Gradual underflow adds at most half a {@link Float#MIN_VALUE} per operation.
     */
    public static double linear(int r, double magnitude) {
        return (gamma(r + 2, U_FLOAT) + gamma(r + 2, U_DOUBLE)) * magnitude + (r + 2) * (double) Float.MIN_VALUE;
    }

    /**
     * Absolute error of a float exp whose result underflows: a subnormal result rounds by less than {@code 2^-126},
     * and the Panama kernels' exp flushes results below {@code 2^-125.5} (about {@code 1.42 * 2^-126}) to 0.
     */
    public static final double EXP_UNDERFLOW = 1.5 * Float.MIN_NORMAL;

    /**
     * How a log-softmax implementation computes: the unit roundoff {@code u} of its accumulators, the relative
     * error of its exp, and how many lanes its sums are split across.
     *
     * <p>The scalar kernel works in double: {@code u = 2^-53}, {@code Math.exp} is within 1 ulp ({@code <= 2u}
     * relative), one lane. The Panama kernel keeps per-lane float accumulators: {@code u = 2^-24}; its exp
     * ({@code PanamaExp}) is within 1.011 float ulps over the whole float range, checked exhaustively: {@code 2.03u}
     * relative.
     */
    public record Arithmetic(String name, double u, double expError, int lanes) {

        /** The arithmetic of implementation {@code impl} ("scalar" or "panama", whose sums span {@code lanes}). */
        public static Arithmetic of(String impl, int lanes) {
            return switch (impl) {
                case "scalar" -> new Arithmetic(impl, U_DOUBLE, 2 * U_DOUBLE, 1);
                case "panama" -> new Arithmetic(impl, U_FLOAT, 2.03 * U_FLOAT, lanes);
                default -> throw new IllegalArgumentException("no error model for '" + impl + "'");
            };
        }

        /** Elements each lane accumulates in a row of {@code n}: {@code ceil(n / lanes)}. */
        public int chunks(int n) {
            return (n + lanes - 1) / lanes;
        }

        /**
         * Relative bound for a length-{@code n} sum of non-negative terms (or {@code sum |terms|} scaled): every lane
         * chains {@code chunks(n)} additions, then {@code lanes - 1} more combine the lanes (the reduction order is
         * unspecified, so take the longest chain).
         */
        public double sum(int n) {
            return gamma(chunks(n) + lanes, u);
        }

        /**
         * Bound on the computed {@code lse = log sum_j exp(z_j)} of one row.
         *
         * <p>Derivation (both kernels: the row max first, then one exp per element; the scalar loop is the case of one
         * lane). Each lane adds {@code exp(z - max)} for its {@code chunks(n)} elements, and the lane sums are added in
         * {@code u} or better; {@code lse = max + log(total)} in double. Following term {@code exp(z_j - max)}
         * through this, it picks up
         * <ul>
         *   <li>its exp: {@code expError};</li>
         *   <li>at most one add per chunk of its lane, then the lanes' adds: {@code (chunks(n) + lanes) * u};</li>
         *   <li>argument rounding: {@code z_j - max} rounds once, changing the term by at most {@code u * |z_j - max|}
         *       relatively, i.e. {@code u * A} in total with {@code A = sum_j exp(z_j - max) * |z_j - max|} (computed from the
         *       data by {@link DoubleReference#softmax});</li>
         *   <li>underflow of a float exp: at most {@link #EXP_UNDERFLOW} absolute per term.</li>
         * </ul>
         * So {@code |S' - S| <= rel * S} with {@code rel} the sum of the above divided by {@code S}, and
         * {@code |log S' - log S| <= rel / (1 - rel)}; the double log and add add {@code 2^-52 * (|max| + |log S|)}.
         */
        public double logSumExp(int n, DoubleReference.SoftmaxRow row) {
            double rel = (chunks(n) + lanes) * u + expError
                    + (u * row.sumExpAbsShift() + n * EXP_UNDERFLOW) / row.sumExp();
            if (rel >= 0.5) {
                throw new IllegalArgumentException("log-sum-exp bound " + rel + " is useless for n = " + n);
            }
            return rel / (1 - rel) + 4 * U_DOUBLE * (Math.abs(row.max()) + Math.abs(Math.log(row.sumExp())));
        }

        /**
         * Bound on one computed gradient element {@code g_j = p_j * sumX - x_j}, {@code p_j = exp(z_j - lse)}.
         *
         * <p>{@code p_j} is computed as exp of {@code z_j} minus the computed {@code lse}: the lse error
         * {@code lseError} enters as a relative error of {@code p_j}; the subtraction rounds once, changing the
         * argument by {@code u * |z_j - lse|}; the exp adds {@code expError}; the product with {@code sumX} and the
         * float rounding of that factor add {@code 2 * U_FLOAT} (both kernels round {@code p * sumX} to float).
         * These compound to a relative error of at most {@code expm1(sum)}. A float {@code sumX} accumulated by the
         * kernel (dense targets) is off by {@code sumXError}, adding {@code p_j * sumXError}. Subtracting
         * {@code x_j} and storing a float adds {@code U_FLOAT * |g_j|}; underflow adds {@code EXP_UNDERFLOW (sumX + 1)}.
         * The bound does not depend on the magnitude of {@code lse} itself: softmax is shift invariant, and a
         * max-shifted kernel must not lose accuracy when every logit is offset by a large constant.
         */
        public double gradient(double p, double sumX, double sumXError, float z, double lse, double g, double lseError) {
            double shift = p == 0 ? 0 : Math.abs(z - lse); // masked (-inf) logits have p = 0 exactly
            double rel = lseError + u * shift + expError + 2 * U_FLOAT;
            return p * Math.abs(sumX) * Math.expm1(rel) + p * sumXError + U_FLOAT * Math.abs(g)
                    + (Math.abs(sumX) + 1) * EXP_UNDERFLOW;
        }
    }

    /**
     * Bound on a row loss {@code sumX * lse - dot}, computed in double from {@code sumX} (off by {@code sumXError}),
     * {@code dot = sum_j x_j z_j} (off by {@code dotError}) and {@code lse} (off by {@code lseError}); the final
     * multiply and subtract round twice in double.
     */
    public static double loss(double sumX, double sumXError, double dotError, double sumAbsXZ, double lse, double lseError) {
        return Math.abs(sumX) * lseError + sumXError * (Math.abs(lse) + lseError) + dotError
                + 2 * U_DOUBLE * (Math.abs(sumX * lse) + sumAbsXZ);
    }

    /** Element (i, j) of a square matrix, however it is stored. */
    @FunctionalInterface
    public interface SquareMatrix {
        /** Element (i, j). */
        double get(int i, int j);
    }

    /**
     * Bound on an element of {@code A X - I} for a computed inverse {@code X} of the {@code n x n} SPD {@code A},
     * the product in double: {@code 4 n u kappa + gamma(n) kappa}, {@code kappa = ||A||_inf ||X||_inf}, the
     * normwise residual bound of a backward-stable inversion (Higham, Sec. 14.1-14.3, with c = 4) plus the rounding
     * of the check's own dot product.
     */
    public static double inverseResidual(int n, SquareMatrix a, SquareMatrix x) {
        double normA = 0;
        double normX = 0;
        for (int i = 0; i < n; i++) {
            double ra = 0;
            double rx = 0;
            for (int j = 0; j < n; j++) {
                ra += Math.abs(a.get(i, j));
                rx += Math.abs(x.get(i, j));
            }
            normA = Math.max(normA, ra);
            normX = Math.max(normX, rx);
        }
        return (4.0 * n * U_DOUBLE + gamma(n, U_DOUBLE)) * normA * normX;
    }

    /**
     * Bound on element i of the residual {@code b - A x} (computed in double) of a Cholesky solve: the computed x
     * solves {@code (A + dA) x = b} with {@code |dA| <= gamma(3n + 1) |U^T| |U|} for the computed factor U (Higham,
     * Thm 10.4), plus the residual's own rounding, {@code gamma(n + 1) (|A| |x| + |b|)_i}. {@code utux} is
     * {@code (|U^T| |U| |x|)_i}, {@code axb} is {@code (|A| |x| + |b|)_i}.
     */
    public static double choleskySolveResidual(int n, double utux, double axb) {
        return gamma(3L * n + 1, U_DOUBLE) * utux + gamma(n + 1L, U_DOUBLE) * axb;
    }

    /** The float ulp at {@code |y|}: the spacing of floats just below or at it (the tighter side at a power of 2). */
    public static double floatUlp(double y) {
        double a = Math.abs(y);
        float f = (float) a;
        if (f > a) {
            f = Math.nextDown(f);
        }
        return Math.ulp(f);
    }
}
