package dev.sparsecf.kernels.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two register tiles of {@link PanamaGemm} must agree bit for bit: each element of C is the same chain of
 * FMAs over k in either tile, so this covers the tile the CPU does not pick by default (GemmTest checks the
 * default one against a double reference).
 */
class PanamaGemmTilesTest {

    @ParameterizedTest(name = "transA={0}, transB={1}, m={2}, n={3}, k={4}, beta={5}")
    @CsvSource({
        "false, false, 13, 70, 600, 0",
        "true, false, 25, 97, 257, 1",
        "false, true, 7, 50, 513, 2",
        "true, true, 31, 1000, 40, 1",
        "false, false, 1201, 33, 5, 2",
    })
    void narrowAndWideTilesGiveTheSameBits(boolean transA, boolean transB, int m, int n, int k, float beta) {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        SplittableRandom rnd = new SplittableRandom(m * 31L + n);
        try (DenseMatrix a = random(rnd, transA ? k : m, transA ? m : k);
             DenseMatrix b = random(rnd, transB ? n : k, transB ? k : n);
             DenseMatrix c0 = random(rnd, m, n);
             DenseMatrix wide = DenseMatrix.allocate(m, n);
             DenseMatrix narrow = DenseMatrix.allocate(m, n)) {
            wide.copyFrom(c0);
            narrow.copyFrom(c0);
            new PanamaGemm(PanamaGemm.Tile.WIDE).gemm(transA, transB, 1.5f, a, b, beta, wide, 0, m, 0, n);
            new PanamaGemm(PanamaGemm.Tile.NARROW).gemm(transA, transB, 1.5f, a, b, beta, narrow, 0, m, 0, n);
            assertArrayEquals(wide.toArray(), narrow.toArray(), "8x3 and 6x2 tiles disagree");
        }
    }

    private static DenseMatrix random(SplittableRandom rnd, int rows, int cols) {
        DenseMatrix d = DenseMatrix.allocate(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d.set(i, j, (float) (2 * rnd.nextDouble() - 1));
            }
        }
        return d;
    }
}
