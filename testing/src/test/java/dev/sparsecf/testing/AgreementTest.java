package dev.sparsecf.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgreementTest {

    private static final float[] EXPECTED = {1f, 2f, 3f, 4f, 5f, 6f};
    private static final double[] TOL = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};

    @Test
    void withinToleranceAgrees() {
        float[] actual = {1.5f, 2f, 2.5f, 4f, 5.25f, 6f};
        assertDoesNotThrow(() -> Agreement.requireClose("t", "C", EXPECTED, actual, TOL, 3));
    }

    @Test
    void beyondToleranceNamesTheFirstElementAndCounts() {
        float[] actual = {1f, 2f, 3f, 4f, 5.75f, 7f};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Agreement.requireClose("t", "C", EXPECTED, actual, TOL, 3));
        assertTrue(e.getMessage().startsWith("t: C(1, 1) = 5.75 but the scalar kernels give 5.0"), e.getMessage());
        assertTrue(e.getMessage().endsWith("2 of 6 elements differ"), e.getMessage());
    }

    @Test
    void nanNeverAgrees() {
        float[] actual = EXPECTED.clone();
        actual[2] = Float.NaN;
        assertThrows(IllegalStateException.class, () -> Agreement.requireClose("t", "C", EXPECTED, actual, TOL, 3));
        double[] loss = {Double.NaN};
        assertThrows(IllegalStateException.class,
                () -> Agreement.requireClose("t", "loss", new double[] {1}, loss, new double[] {1e9}));
    }

    @Test
    void samplesNameTheFirstSampleOffAndTheReference() {
        Agreement.Samples samples = new Agreement.Samples(3);
        samples.add(4, 7, 1.0, 1.25, 0.5);
        samples.add(2, 9, 0.0, 0.75, 0.5);
        samples.add(5, 5, 2.0, Double.NaN, 1e9);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> samples.require("t", "G", "a direct count"));
        assertTrue(e.getMessage().startsWith("t: G(2, 9) = 0.75 but a direct count gives 0.0"), e.getMessage());
        assertTrue(e.getMessage().endsWith("2 of 3 sampled elements differ"), e.getMessage());
    }

    @Test
    void samplesWithinToleranceAgree() {
        Agreement.Samples samples = new Agreement.Samples(2);
        samples.add(0, 0, 3.0, 3.0, 0);
        samples.add(1, 2, -1.0, -1.4, 0.5);
        assertDoesNotThrow(() -> samples.require("t", "C", "the exact dot product"));
    }
}
