package io.miaosha.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.outage.Outages;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A handling that never answers (a store call whose answer was lost) ends as an outage after the
 * handling timeout, so the consumer puts the message back and goes on, instead of waiting forever.
 */
class BoundedHandlingTest {

    private static final RetryConfig CONFIG = new RetryConfig() {
        public int attempts() {
            return 6;
        }

        public Duration firstBackOff() {
            return Duration.ofMillis(500);
        }

        public Duration maxBackOff() {
            return Duration.ofSeconds(30);
        }

        public Duration orderRowWait() {
            return Duration.ZERO;
        }

        public Duration outageMaxBackOff() {
            return Duration.ofSeconds(5);
        }

        public Duration handlingTimeout() {
            return Duration.ofMillis(200);
        }
    };

    private final FailedMessages failed = new FailedMessages(null, null, CONFIG);

    @Test
    void handlingThatNeverAnswersFailsAsAnOutageAfterTheTimeout() {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> failed.bounded(Uni.createFrom().nothing(), "miaosha.orders.paid").subscribeAsCompletionStage().join());
        assertTrue(failure.getCause() instanceof TimeoutException, failure.toString());
        assertTrue(Outages.isOutage(failure.getCause()), "a timed-out handling must be retried like an outage, never parked");
    }

    @Test
    void handlingThatAnswersInTimeKeepsItsAnswer() {
        assertEquals("done", failed.bounded(Uni.createFrom().item("done"), "miaosha.orders.paid").await().atMost(Duration.ofSeconds(5)));
    }
}
