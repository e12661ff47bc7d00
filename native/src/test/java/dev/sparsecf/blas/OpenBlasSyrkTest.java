package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.d;
import static dev.sparsecf.blas.OpenBlasTests.openBlasOrSkip;
import static dev.sparsecf.blas.OpenBlasTests.randomDoubles;
import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.ErrorBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenBLAS dsyrk (upper, row-major) against a naive double loop; the strict lower triangle must stay as it was. */
class OpenBlasSyrkTest {

    private static final int[] SIZES = {1, 7, 17, 103};

    @ParameterizedTest(name = "trans={0} alpha={1} beta={2}")
    @CsvSource({"false, 1.0, 0.0", "false, 2.0, 1.0", "true, 1.0, 0.0", "true, 0.5, 2.0", "true, 0.0, 2.0"})
    void dsyrkMatchesReference(boolean trans, double alpha, double beta) {
        OpenBlas blas = openBlasOrSkip();
        long seed = 100;
        for (int n : SIZES) {
            for (int k : SIZES) {
                try (Arena arena = Arena.ofConfined()) {
                    int lda = (trans ? n : k) + 1;
                    int ldc = n + 3;
                    MemorySegment a = randomDoubles(arena, (long) (trans ? k : n) * lda, seed++);
                    MemorySegment c = randomDoubles(arena, (long) n * ldc, seed++);
                    MemorySegment c0 = arena.allocate(c.byteSize(), 64).copyFrom(c);
                    blas.dsyrk(trans, n, k, alpha, a, lda, beta, c, ldc);
                    String where = "n=" + n + " k=" + k + " trans=" + trans + " alpha=" + alpha + " beta=" + beta;
                    // k-term dot product, alpha scaling and the beta*C update: gamma(k+3) relative to the
                    // magnitudes, counted twice because the double reference loop rounds as much as BLAS does.
                    double gamma = 2 * ErrorBounds.gamma(k + 3, U_DOUBLE);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < i; j++) {
                            assertEquals(d(c0, (long) i * ldc + j), d(c, (long) i * ldc + j),
                                    where + ": strict lower C[" + i + "][" + j + "] was written");
                        }
                        for (int j = i; j < n; j++) {
                            double dot = 0;
                            double abs = 0;
                            for (int p = 0; p < k; p++) {
                                double x = trans ? d(a, (long) p * lda + i) : d(a, (long) i * lda + p);
                                double y = trans ? d(a, (long) p * lda + j) : d(a, (long) j * lda + p);
                                dot += x * y;
                                abs += Math.abs(x * y);
                            }
                            double old = beta * d(c0, (long) i * ldc + j);
                            double expected = alpha * dot + old;
                            double bound = gamma * (Math.abs(alpha) * abs + Math.abs(old));
                            double actual = d(c, (long) i * ldc + j);
                            if (!(Math.abs(actual - expected) <= bound)) {
                                fail(where + ": C[" + i + "][" + j + "] = " + actual + ", expected " + expected + " +- " + bound);
                            }
                        }
                    }
                }
            }
        }
    }
}
