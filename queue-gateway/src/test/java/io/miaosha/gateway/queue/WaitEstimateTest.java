package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WaitEstimateTest {

    private static final long DAY = 86_400_000;

    @Test
    void measuredRateGivesExpectedWaitPlusMinusTwentyPercent() {
        assertEquals(new WaitEstimate(80, 120), WaitEstimate.of(99, 1.0, 10, 600_000, 0, DAY));
    }

    @Test
    void withoutAMeasuredRateTheBoundComesFromCapacityAndWindow() {
        // 25 ahead with 10 inside at a time: at worst three full windows of 600 s.
        assertEquals(new WaitEstimate(0, 1800), WaitEstimate.of(25, 0, 10, 600_000, 0, DAY));
        assertEquals(new WaitEstimate(0, 600), WaitEstimate.of(0, 0, 10, 600_000, 0, DAY));
    }

    @Test
    void longWaitsAreWidenedToCoarserSteps() {
        // Expected 1,234.5 s: 987.6 .. 1,481.4 s, shown as 960 .. 1,500.
        assertEquals(new WaitEstimate(960, 1500), WaitEstimate.of(2468, 2.0, 10, 600_000, 0, DAY));
    }

    @Test
    void beforeOpeningTheTimeToOpeningIsAdded() {
        assertEquals(new WaitEstimate(30, 630), WaitEstimate.of(0, 0, 10, 600_000, 30_000, DAY));
    }

    @Test
    void noWaitIsShownEndingAfterTheSaleCloses() {
        // A stalled queue: the measured rate decayed to almost nothing; the sale closes in 2 h 03 min.
        long closesIn = (2 * 3600 + 3 * 60) * 1000L;
        assertEquals(new WaitEstimate(7200, 7200), WaitEstimate.of(150_000, 1e-6, 1, 600_000, 0, closesIn));
        // As the rate decays further the shown range stays put: nothing to re-tell.
        assertEquals(new WaitEstimate(7200, 7200), WaitEstimate.of(150_000, 1e-9, 1, 600_000, 0, closesIn - 60_000));
        // A range that ends before the close is left alone.
        assertEquals(new WaitEstimate(80, 120), WaitEstimate.of(99, 1.0, 10, 600_000, 0, closesIn));
    }
}
