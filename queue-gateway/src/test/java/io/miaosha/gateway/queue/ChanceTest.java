package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.common.queue.QueueStatus;
import org.junit.jupiter.api.Test;

class ChanceTest {

    @Test
    void theChanceWeighsWhatMayComeFreeAgainstWhatThoseAheadMayTake() {
        // 10 left, limit 2: 4 ahead may take 8 at most.
        assertEquals(Chance.LIKELY, Chance.of(4, status(10, 0, 0, 2)));
        // 5 ahead may take 10: enough only if they buy one each.
        assertEquals(Chance.POSSIBLE, Chance.of(5, status(10, 0, 0, 2)));
        // 12 ahead, 10 left and 1 hold that may come back.
        assertEquals(Chance.UNLIKELY, Chance.of(12, status(10, 1, 0, 2)));
        // Those inside are ahead too.
        assertEquals(Chance.POSSIBLE, Chance.of(0, status(3, 0, 2, 2)));
        assertEquals(Chance.UNLIKELY, Chance.of(1, status(3, 0, 2, 2)));
        // Nothing left, but unpaid holds may expire.
        assertEquals(Chance.POSSIBLE, Chance.of(1, status(0, 4, 0, 1)));
        assertEquals(Chance.NONE, Chance.of(0, status(0, 0, 0, 1)));
    }

    private static QueueStatus status(long left, long unpaidHolds, long inside, int limit) {
        long now = System.currentTimeMillis();
        return new QueueStatus("scheduled", now - 1000, now + 60_000, 1, 60_000, left, 10, inside, 0, 1.0, 0, true, 0,
                unpaidHolds, unpaidHolds > 0 ? now + 30_000 : 0, limit);
    }
}
