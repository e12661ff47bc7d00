package dev.sparsecf.kernels;

/**
 * Fused, max-shifted log-softmax with the multinomial negative log-likelihood and its gradient, per row:
 * {@code loss_u = -sum_i x_ui * log_softmax(z_u)_i} and {@code dL/dz_u = softmax(z_u) * sum_i x_ui - x_u}.
 * At most two sweeps over each logits row, no temporary row buffers; {@code grad} may be {@code logits}
 * itself (in place).
 */
public interface LogSoftmaxKernel {

    /** Rows {@code [rowFrom, rowTo)} with sparse targets (binary or weighted CSR, one row per logits row). */
    void sparseTargets(DenseMatrix logits, CsrMatrix targets, DenseMatrix grad, double[] rowLoss, int rowFrom, int rowTo);

    /** Rows {@code [rowFrom, rowTo)} with dense target weights of the logits' shape. */
    void denseTargets(DenseMatrix logits, DenseMatrix targets, DenseMatrix grad, double[] rowLoss, int rowFrom, int rowTo);
}
