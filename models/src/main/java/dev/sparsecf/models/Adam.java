package dev.sparsecf.models;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Adam (Kingma and Ba 2015) with TensorFlow's defaults and bias correction folded into the step size, as
 * in Liang et al.'s code; optional L2 weight decay added to the gradient ({@code g + 2 * lambda * w},
 * the gradient of {@code lambda * sum w^2}).
 */
final class Adam {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private Adam() {
    }

    /** The bias-corrected step size at update {@code t} (1-based). */
    static double stepSize(double learningRate, long t) {
        return learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
    }

    /** One in-place update of {@code param} from {@code grad}, with moments {@code m} and {@code v} (same shape). */
    static void update(KernelThreads pool, DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v,
                       double stepSize, double weightDecay) {
        MemorySegment p = param.segment();
        MemorySegment g = grad.segment();
        MemorySegment ms = m.segment();
        MemorySegment vs = v.segment();
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float lr = (float) stepSize;
        float decay = (float) (2 * weightDecay);
        float eps = (float) EPSILON;
        int cols = param.cols();
        // elementwise and memory-bound (4 streams): rows split across threads
        pool.forRange(param.rows(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                long base = (long) i * param.ld();
                for (int j = 0; j < cols; j++) {
                    long at = base + j;
                    float w = p.getAtIndex(F, at);
                    float gj = g.getAtIndex(F, at) + decay * w;
                    float mj = b1 * ms.getAtIndex(F, at) + (1 - b1) * gj;
                    float vj = b2 * vs.getAtIndex(F, at) + (1 - b2) * gj * gj;
                    ms.setAtIndex(F, at, mj);
                    vs.setAtIndex(F, at, vj);
                    p.setAtIndex(F, at, w - lr * mj / ((float) Math.sqrt(vj) + eps));
                }
            }
        });
    }
}
