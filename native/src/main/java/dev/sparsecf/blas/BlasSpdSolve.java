package dev.sparsecf.blas;

import dev.sparsecf.kernels.SpdSolveKernel;
import java.lang.foreign.MemorySegment;

/** One SPD solve on OpenBLAS LAPACKE dpotrf + dpotrs (OpenBLAS threads it itself, as it sees fit for the order). */
final class BlasSpdSolve implements SpdSolveKernel {

    private final OpenBlas openBlas;

    BlasSpdSolve(OpenBlas openBlas) {
        this.openBlas = openBlas;
    }

    @Override
    public int solve(MemorySegment a, int n, int lda, MemorySegment b) {
        return openBlas.choleskySolve(a, n, lda, b);
    }
}
