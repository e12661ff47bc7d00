package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.testing.ErrorBounds;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link Batches#gather}: the selected rows, their L2 normalisers from the full rows, and inverted dropout. */
class BatchesTest {

    private static final int ITEMS = 2_000;
    /** Users by index: nnz 3, 0, 1, 600, 900 and 7 (row 1 has no clicks). */
    private static final int[] NNZ = {3, 0, 1, 600, 900, 7};
    /** The order users are batched in; the batch is positions [1, 5): users 3, 1, 4, 0. */
    private static final int[] ORDER = {5, 3, 1, 4, 0, 2};

    private static CsrMatrix clicks() {
        CsrMatrix.Builder b = CsrMatrix.builder(ITEMS);
        for (int u = 0; u < NNZ.length; u++) {
            int stride = ITEMS / Math.max(NNZ[u], 1);
            int offset = u;
            b.addRow(IntStream.range(0, NNZ[u]).map(t -> offset + t * stride).toArray());
        }
        return b.build();
    }

    @Test
    void withoutDropoutTheInputIsTheRowsScaledToUnitLength() {
        try (CsrMatrix data = clicks()) {
            for (Batches.Batch batch : new Batches.Batch[] {
                    Batches.gather(data, ORDER, 1, 5, 0.0, new SplittableRandom(1)),
                    Batches.gather(data, ORDER, 1, 5, 0.5, null)}) {
                try (batch) {
                    assertSame(batch.targets(), batch.input(), "no dropout: the input is the targets");
                    assertEquals(4, batch.size());
                    assertRows(data, batch);
                }
            }
        }
    }

    @Test
    void dropoutKeepsAboutOneMinusTheRateOfEachRowsClicksWeightedOneOverKeep() {
        double dropout = 0.3;
        double keep = 1 - dropout;
        try (CsrMatrix data = clicks();
             Batches.Batch batch = Batches.gather(data, ORDER, 1, 5, dropout, new SplittableRandom(42))) {
            assertRows(data, batch);
            CsrMatrix in = batch.input();
            assertEquals(4, in.rows());
            int clicks = 0;
            for (int r = 0; r < in.rows(); r++) {
                int[] full = rowCols(batch.targets(), r);
                int[] kept = rowCols(in, r);
                // each kept click is one of the row's, in order (a subsequence of the sorted full row)
                assertTrue(IntStream.of(kept).allMatch(c -> Arrays.binarySearch(full, c) >= 0), "row " + r + " keeps only its clicks");
                assertTrue(IntStream.range(1, kept.length).allMatch(t -> kept[t] > kept[t - 1]), "row " + r + " stays sorted");
                for (int p = in.rowStart(r); p < in.rowEnd(r); p++) {
                    // 1/keep rounded once to float; the exact quotient, within half a float ulp
                    assertTrue(Math.abs(in.value(p) - 1 / keep) <= ErrorBounds.U_FLOAT / keep, "row " + r + ": weight " + in.value(p));
                }
                clicks += full.length;
            }
            // the kept count is Binomial(clicks, keep): 5 standard deviations (a correct gather fails 1 seed in 10^6)
            double sd = Math.sqrt(clicks * keep * dropout);
            long kept = in.nnz();
            assertTrue(Math.abs(kept - clicks * keep) <= 5 * sd,
                    kept + " of " + clicks + " clicks kept, expected " + clicks * keep + " +- " + 5 * sd);
        }
    }

    /** The targets are the users' full binary rows, and rowScale the 1/sqrt of their click counts (0 for none). */
    private static void assertRows(CsrMatrix data, Batches.Batch batch) {
        for (int r = 0; r < batch.size(); r++) {
            int u = ORDER[1 + r];
            assertEquals(Arrays.toString(rowCols(data, u)), Arrays.toString(rowCols(batch.targets(), r)), "row " + r + " is user " + u);
            assertTrue(batch.targets().isBinary());
            float s = batch.rowScale()[r];
            if (NNZ[u] == 0) {
                assertEquals(0f, s, "a user without clicks is scaled by 0");
            } else {
                // s = fl(1/sqrt(n)), relative error <= u (double) + u (float): s^2 n = 1 within 2 (2u + u^2) and a rounding
                double unit = (double) s * s * NNZ[u];
                assertTrue(Math.abs(unit - 1) <= 5 * ErrorBounds.U_FLOAT, "row " + r + " of " + NNZ[u] + " clicks: s^2 n = " + unit);
            }
        }
    }

    private static int[] rowCols(CsrMatrix m, int r) {
        return IntStream.range(m.rowStart(r), m.rowEnd(r)).map(m::col).toArray();
    }
}
