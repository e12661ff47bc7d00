package dev.sparsecf.models;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;

/**
 * Adam (Kingma and Ba 2015) with TensorFlow's defaults and bias correction folded into the step size, as
 * in Liang et al.'s code; optional L2 weight decay added to the gradient ({@code g + 2 * lambda * w},
 * the gradient of {@code lambda * sum w^2}).
 */
final class Adam {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private Adam() {
    }

    /** The bias-corrected step size at update {@code t} (1-based). */
    static double stepSize(double learningRate, long t) {
        return learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
    }

    /** One in-place update of {@code param} from {@code grad}, with moments {@code m} and {@code v} (same shape). */
    static void update(Kernels kernels, DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v,
                       double stepSize, double weightDecay) {
        kernels.adamUpdate(param, grad, m, v, stepSize, BETA1, BETA2, EPSILON, weightDecay);
    }
}
