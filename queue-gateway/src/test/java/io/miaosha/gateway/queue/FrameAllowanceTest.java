package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameAllowanceTest {

    private final FrameAllowance allowance = new FrameAllowance(2, 10);

    @Test
    void aBurstIsAllowedAtOnceThenTheRate() {
        Shopper shopper = new Shopper(1, 1, null);
        long now = 1_000_000;
        for (int i = 0; i < 10; i++) {
            assertTrue(allowance.allow(shopper, now), "frame " + (i + 1) + " of the burst");
        }
        assertFalse(allowance.allow(shopper, now), "the 11th at once");
        assertFalse(allowance.allow(shopper, now + 400));
        assertTrue(allowance.allow(shopper, now + 500), "one more every 500 ms");
        assertFalse(allowance.allow(shopper, now + 600));
    }

    @Test
    void aQuietSocketGetsItsWholeBurstBackAndNoMore() {
        Shopper shopper = new Shopper(1, 1, null);
        long now = 1_000_000;
        for (int i = 0; i < 10; i++) {
            allowance.allow(shopper, now);
        }
        long later = now + 60_000;
        int allowed = 0;
        while (allowance.allow(shopper, later)) {
            allowed++;
        }
        assertEquals(10, allowed);
    }
}
