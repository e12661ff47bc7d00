package dev.sparsecf.bench;

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
}
