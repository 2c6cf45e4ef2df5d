package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PositionPusherTest {

    @Test
    void aShortQueueIsToldEveryChangeOfItsLength() {
        assertTrue(PositionPusher.lengthMoved(5, -1), "nothing sent yet");
        assertTrue(PositionPusher.lengthMoved(6, 5));
        assertTrue(PositionPusher.lengthMoved(19, 20));
        assertFalse(PositionPusher.lengthMoved(20, 20));
    }

    @Test
    void aLongQueueIsToldWhenItsLengthMovedByFivePercent() {
        assertFalse(PositionPusher.lengthMoved(120_400, 120_000));
        assertTrue(PositionPusher.lengthMoved(126_000, 120_000));
        assertTrue(PositionPusher.lengthMoved(114_000, 120_000));
    }
}
