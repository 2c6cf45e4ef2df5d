package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WaitEstimateTest {

    @Test
    void measuredRateGivesExpectedWaitPlusMinusTwentyPercent() {
        assertEquals(new WaitEstimate(80, 120), WaitEstimate.of(99, 1.0, 10, 600_000, 0));
    }

    @Test
    void withoutAMeasuredRateTheBoundComesFromCapacityAndWindow() {
        // 25 ahead with 10 inside at a time: at worst three full windows of 600 s.
        assertEquals(new WaitEstimate(0, 1800), WaitEstimate.of(25, 0, 10, 600_000, 0));
        assertEquals(new WaitEstimate(0, 600), WaitEstimate.of(0, 0, 10, 600_000, 0));
    }

    @Test
    void longWaitsAreWidenedToCoarserSteps() {
        // Expected 1,234.5 s: 987.6 .. 1,481.4 s, shown as 960 .. 1,500.
        assertEquals(new WaitEstimate(960, 1500), WaitEstimate.of(2468, 2.0, 10, 600_000, 0));
    }

    @Test
    void beforeOpeningTheTimeToOpeningIsAdded() {
        assertEquals(new WaitEstimate(30, 630), WaitEstimate.of(0, 0, 10, 600_000, 30_000));
    }
}
