package dev.sparsecf.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void barFillsInProportionAndExtrapolatesTheEta() {
        // 10 of 40 steps in 5 s: a quarter of the 30 cells, 30 steps left at 0.5 s each
        assertEquals("\rep [#######                       ] 10/40  5.0 s, ETA 15s", Progress.bar("ep", 10, 40, 5.0));
        assertEquals("\rep [##############################] 3/3  1.0 s, ETA 0s", Progress.bar("ep", 3, 3, 1.0));
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("42s", Progress.duration(42.4));
        assertEquals("3m07s", Progress.duration(187));
        assertEquals("1h02m", Progress.duration(3720));
    }
}
