package dev.sparsecf.kernels.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.CsrMatrix;
import org.junit.jupiter.api.Test;

/** {@link SyntheticClicks}: seeded, valid, with the requested activity floor and mean and a popularity skew. */
class SyntheticClicksTest {

    @Test
    void sameSeedSameMatrixAndTheRequestedShape() {
        try (CsrMatrix a = SyntheticClicks.generate(2_000, 20_108, 73, 42);
             CsrMatrix b = SyntheticClicks.generate(2_000, 20_108, 73, 42);
             CsrMatrix c = SyntheticClicks.generate(2_000, 20_108, 73, 43)) {
            assertEquals(a.nnz(), b.nnz());
            for (int p = 0; p < a.nnz(); p++) {
                assertEquals(a.col(p), b.col(p), "position " + p);
            }
            assertTrue(a.nnz() != c.nnz() || a.col(0) != c.col(0) || a.col((int) a.nnz() - 1) != c.col((int) c.nnz() - 1),
                    "another seed gives another matrix");

            assertTrue(a.isBinary());
            int[] itemCount = new int[a.cols()];
            for (int u = 0; u < a.rows(); u++) {
                assertTrue(a.rowNnz(u) >= SyntheticClicks.MIN_ACTIVITY, "user " + u + " has " + a.rowNnz(u) + " clicks");
                for (int p = a.rowStart(u); p < a.rowEnd(u); p++) {
                    itemCount[a.col(p)]++;
                }
            }
            double mean = (double) a.nnz() / a.rows();
            // 5 + log-normal (mean 68, sd 68 * sqrt(e - 1) = 89): the mean of 2000 users has a standard error of 2
            assertTrue(Math.abs(mean - 73) < 0.1 * 73, "mean activity " + mean);
            int head = 0;
            int tail = 0;
            for (int i = 0; i < 100; i++) {
                head += itemCount[i];
                tail += itemCount[a.cols() - 1 - i];
            }
            assertTrue(head > 20 * tail, "Zipf popularity: first 100 items " + head + " clicks, last 100 " + tail);
        }
    }

    @Test
    void denseUsersAndBadArguments() {
        try (CsrMatrix small = SyntheticClicks.generate(50, 8, 40, 1)) {
            for (int u = 0; u < small.rows(); u++) {
                int nnz = small.rowNnz(u);
                assertTrue(nnz >= SyntheticClicks.MIN_ACTIVITY && nnz <= 8, "user " + u + ": " + nnz + " clicks among 8 items");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SyntheticClicks.generate(10, 0, 73, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticClicks.generate(10, 100, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticClicks.generate(10, 100, Double.NaN, 1));
    }
}
