package dev.sparsecf.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparsecf.models.ease.EaseFitter;
import org.junit.jupiter.api.Test;

/** A dense EASE fit that would not fit in memory is refused in one line that suggests --neighbors. */
class MemoryBudgetTest {

    @Test
    void refusesADenseFitLargerThanTheMemoryAvailable() {
        long need = EaseFitter.peakBytes(200_000);
        assertEquals(200_000L * 200_000 * 12, need, 200_000L * 64 * 12, "12 n^2 bytes, give or take row padding");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryBudget.requireDenseEaseFits(200_000, 20_000_000_000L));
        assertEquals("dense EASE on 200,000 items needs 480.0 GB (an n x n double matrix and the float32 B), more than the"
                + " 20.0 GB of memory available; use --neighbors K (e.g. --neighbors 500) for neighbourhood EASE, whose"
                + " memory grows with n K", e.getMessage());
        MemoryBudget.requireDenseEaseFits(20_000, 20_000_000_000L); // 4.8 GB: fits
    }
}
