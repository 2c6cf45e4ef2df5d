package io.miaosha.gateway.pow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The documented curve: base × 2^(joins per second / doubling rate), capped at the ceiling. */
class DifficultyTest {

    private final Difficulty defaults = new Difficulty(50_000, 1_000_000, 25);

    @Test
    void theRangeDoublesEveryDoublingRateAndStopsAtTheCeiling() {
        assertEquals(50_000, defaults.maxNumber(0));
        assertEquals(100_000, defaults.maxNumber(25));
        assertEquals(200_000, defaults.maxNumber(50));
        assertEquals(800_000, defaults.maxNumber(100));
        assertEquals(998_664, defaults.maxNumber(108));
        assertEquals(1_000_000, defaults.maxNumber(109));
        assertEquals(1_000_000, defaults.maxNumber(100_000));
        assertEquals(50_000, defaults.maxNumber(-3), "a clock step cannot make it cheaper than the base");
    }

    @Test
    void aCeilingBelowTheBaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Difficulty(10, 5, 25));
        assertThrows(IllegalArgumentException.class, () -> new Difficulty(10, 50, 0));
    }
}
