package dev.sparsecf.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The tests' oracle: the kernels' mathematical definitions as the plainest loops, in double precision (netlib's
 * F2J-reference idea). It shares no code with the kernels under test; inputs are the heap arrays the test
 * matrices were filled from (a sparse matrix as its rows' sorted columns and weights, {@code null} weights: binary).
 */
public final class DoubleReference {

    private DoubleReference() {
    }

    /**
     * {@code C = diag(s) * A * B + bias} ({@code A} given by {@code rows} and {@code weights}, {@code B} row-major
     * {@code k x n}); {@code s}, {@code bias} may be null.
     */
    public static double[] spmm(int[][] rows, float[][] weights, float[] b, int n, float[] rowScale, float[] bias) {
        double[] c = new double[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            double s = rowScale == null ? 1 : rowScale[i];
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < rows[i].length; t++) {
                    sum += (double) weight(weights, i, t) * b[rows[i][t] * n + j];
                }
                c[i * n + j] = s * sum + (bias == null ? 0 : bias[j]);
            }
        }
        return c;
    }

    /** {@code |s_i| * sum_p |a_ip * b_pj| + |bias_j|}: the magnitude that float rounding errors scale with. */
    public static double[] spmmMagnitude(int[][] rows, float[][] weights, float[] b, int n, float[] rowScale,
            float[] bias) {
        double[] mag = new double[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            double s = rowScale == null ? 1 : Math.abs(rowScale[i]);
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < rows[i].length; t++) {
                    sum += Math.abs((double) weight(weights, i, t) * b[rows[i][t] * n + j]);
                }
                mag[i * n + j] = s * sum + (bias == null ? 0 : Math.abs(bias[j]));
            }
        }
        return mag;
    }

    /**
     * {@code G0 + A^T * D} ({@code D} row-major {@code m x n}, {@code G0} row-major {@code k x n}); with
     * {@code magnitude}, {@code |G0| + sum |a_ik * d_ij|} instead.
     */
    public static double[] spmmTransposeAccumulate(int[][] rows, float[][] weights, float[] d, float[] g0, int n,
            boolean magnitude) {
        double[] g = new double[g0.length];
        for (int t = 0; t < g0.length; t++) {
            g[t] = magnitude ? Math.abs(g0[t]) : g0[t];
        }
        for (int i = 0; i < rows.length; i++) {
            for (int t = 0; t < rows[i].length; t++) {
                int col = rows[i][t];
                for (int j = 0; j < n; j++) {
                    double term = (double) weight(weights, i, t) * d[i * n + j];
                    g[col * n + j] += magnitude ? Math.abs(term) : term;
                }
            }
        }
        return g;
    }

    /** Entry {@code t} of row {@code i}: 1 in a binary matrix. */
    private static float weight(float[][] weights, int i, int t) {
        return weights == null ? 1f : weights[i][t];
    }

    /** Softmax statistics of one logits row (-inf entries allowed, at least one finite). */
    public record SoftmaxRow(double max, double sumExp, double logSumExp, double[] p, double sumExpAbsShift) {
    }

    /**
     * {@code max}, {@code S = sum_j exp(z_j - max)}, {@code lse = max + log S}, {@code p_j = exp(z_j - lse)} and
     * {@code sum_j exp(z_j - max) * |z_j - max|} (the weight of argument rounding in the error bounds).
     */
    public static SoftmaxRow softmax(float[] z, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, z[offset + j]);
        }
        double sum = 0;
        double weighted = 0;
        for (int j = 0; j < n; j++) {
            double t = z[offset + j] - max;
            double e = Math.exp(t);
            sum += e;
            if (e > 0) {
                weighted += e * -t;
            }
        }
        double lse = max + Math.log(sum);
        double[] p = new double[n];
        for (int j = 0; j < n; j++) {
            p[j] = Math.exp(z[offset + j] - lse);
        }
        return new SoftmaxRow(max, sum, lse, p, weighted);
    }

    /** {@code -sum_j x_j * log_softmax(z)_j}, with {@code 0 * log 0 = 0} for zero targets on masked (-inf) logits. */
    public static double multinomialLoss(float[] z, float[] x, int offset, int n, SoftmaxRow row) {
        double loss = 0;
        for (int j = 0; j < n; j++) {
            if (x[offset + j] != 0) {
                loss -= x[offset + j] * (z[offset + j] - row.logSumExp());
            }
        }
        return loss;
    }

    /**
     * Top-{@code k} by full sort: the columns not in {@code excluded}, by score descending (NaN last), ties to
     * the lower column, padded with -1.
     */
    public static int[] topK(float[] scores, int offset, int n, int[] excluded, int k) {
        boolean[] skip = new boolean[n];
        for (int c : excluded) {
            skip[c] = true;
        }
        List<Integer> candidates = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (!skip[j]) {
                candidates.add(j);
            }
        }
        Comparator<Integer> byRank = (c1, c2) -> {
            double s1 = scores[offset + c1];
            double s2 = scores[offset + c2];
            boolean nan1 = Double.isNaN(s1);
            boolean nan2 = Double.isNaN(s2);
            if (nan1 != nan2) {
                return nan1 ? 1 : -1;
            }
            if (!nan1 && s1 != s2) { // numeric comparison: -0.0 and 0.0 are the same score
                return s1 > s2 ? -1 : 1;
            }
            return Integer.compare(c1, c2);
        };
        candidates.sort(byRank);
        int[] top = new int[k];
        for (int t = 0; t < k; t++) {
            top[t] = t < candidates.size() ? candidates.get(t) : -1;
        }
        return top;
    }
}
