package io.miaosha.gateway.pow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The documented curve: base × 2^(joins per second / doubling rate), capped at the ceiling. */
class DifficultyTest {

    private final Difficulty defaults = new Difficulty(20_000, 500_000, 25);

    @Test
    void theRangeDoublesEveryDoublingRateAndStopsAtTheCeiling() {
        assertEquals(20_000, defaults.maxNumber(0));
        assertEquals(40_000, defaults.maxNumber(25));
        assertEquals(80_000, defaults.maxNumber(50));
        assertEquals(320_000, defaults.maxNumber(100));
        assertEquals(500_000, defaults.maxNumber(117));
        assertEquals(500_000, defaults.maxNumber(100_000));
        assertEquals(20_000, defaults.maxNumber(-3), "a clock step cannot make it cheaper than the base");
    }

    @Test
    void aCeilingBelowTheBaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Difficulty(10, 5, 25));
        assertThrows(IllegalArgumentException.class, () -> new Difficulty(10, 50, 0));
    }
}
