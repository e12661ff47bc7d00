package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BetaScheduleTest {

    @Test
    void constantIgnoresProgress() {
        BetaSchedule b = BetaSchedule.constant(0.3);
        assertEquals(0.3, b.beta(0, 10), 0);
        assertEquals(0.3, b.beta(9, 10), 0);
    }

    @Test
    void linearByStepsIsLiangsAnneal() {
        BetaSchedule b = BetaSchedule.linearBySteps(200_000, 0.2);
        assertEquals(0.0, b.beta(0, 1_000_000), 0);
        // beta = min(cap, step / 200000): it rises by 1 per 200,000 steps, so a cap of 0.2 arrives at 40,000
        assertEquals(0.1, b.beta(20_000, 1_000_000), 1e-15);
        assertEquals(0.2, b.beta(40_000, 1_000_000), 1e-15);
        assertEquals(0.2, b.beta(300_000, 1_000_000), 0, "capped");
        assertEquals(0.005, b.beta(1000, 5000), 1e-15, "a small dataset never reaches the cap");
    }

    @Test
    void linearByFractionReachesTheCapAtThatFraction() {
        BetaSchedule b = BetaSchedule.linearByFraction(0.8, 0.2);
        assertEquals(0.1, b.beta(400, 1000), 1e-15);
        assertEquals(0.2, b.beta(800, 1000), 1e-15);
        assertEquals(0.2, b.beta(999, 1000), 1e-15);
    }

    @Test
    void cyclicalRestartsEachCycle() {
        BetaSchedule b = BetaSchedule.cyclical(4, 0.5, 1.0);
        // 1000 steps, 4 cycles of 250, rising over the first 125
        assertEquals(0.0, b.beta(0, 1000), 1e-15);
        assertEquals(62 / 125.0, b.beta(62, 1000), 1e-12);
        assertEquals(1.0, b.beta(200, 1000), 1e-15);
        assertEquals(0.0, b.beta(250, 1000), 1e-15);
        assertEquals(1.0, b.beta(999, 1000), 1e-15);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.linearBySteps(0, 0.2));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.linearByFraction(1.5, 0.2));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.cyclical(0, 0.5, 1));
    }
}
