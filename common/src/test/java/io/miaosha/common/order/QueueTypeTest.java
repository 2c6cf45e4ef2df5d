package io.miaosha.common.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class QueueTypeTest {

    private static final String VHOST = System.getenv().getOrDefault("MIAOSHA_TEST_VHOST", "miaosha-test");

    @Test
    void classicAddsNoArgumentSoExistingQueuesStayEquivalent() {
        Map<String, Object> arguments = Map.of("x-dead-letter-exchange", "x");
        assertSame(arguments, QueueType.CLASSIC.arguments(arguments));
    }

    @Test
    void quorumAddsTheQueueTypeAndKeepsTheOtherArguments() {
        Map<String, Object> typed = QueueType.QUORUM.arguments(Map.of("x-message-ttl", 5L));
        assertEquals(Map.of("x-message-ttl", 5L, "x-queue-type", "quorum"), typed);
        assertEquals(Map.of("x-queue-type", "quorum"), QueueType.QUORUM.arguments(null));
    }

    @Test
    void theSettingIsReadInAnyCaseAndAnythingElseIsRefusedByName() {
        assertSame(QueueType.QUORUM, QueueType.parse(" Quorum "));
        assertSame(QueueType.CLASSIC, QueueType.parse("classic"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> QueueType.parse("stream"));
        assertTrue(refused.getMessage().contains("miaosha.broker.queue-type"), refused.getMessage());
    }

    /** On the machine's broker: the hold-timer queue is declared as a quorum queue, TTL and dead-lettering accepted. */
    @Test
    void aQuorumHoldTimerQueueIsAQuorumQueueOnTheBroker() throws Exception {
        long holdMs = 900_000_000L + ThreadLocalRandom.current().nextLong(1_000_000);
        String queue = OrderTopology.holdTimerQueue(holdMs);
        try (Connection connection = OrderTopology.connect(
                OrderTopology.connectionFactory("127.0.0.1", 5672, "guest", "guest", VHOST), "127.0.0.1:5672", "queue-type-test")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(OrderChannels.ORDERS_EXCHANGE, "direct", true);
            channel.exchangeDeclare(OrderChannels.DELAY_EXCHANGE, "direct", true);
            try {
                OrderTopology.declareHoldTimer(channel, holdMs, QueueType.QUORUM);
                // Declared again as classic, the broker names the type it holds: the queue is a quorum queue.
                IOException inequivalent = assertThrows(IOException.class,
                        () -> OrderTopology.declareHoldTimer(channel, holdMs, QueueType.CLASSIC));
                assertTrue(String.valueOf(inequivalent.getCause()).contains("x-queue-type"), String.valueOf(inequivalent.getCause()));
            } finally {
                try (Channel cleanup = connection.createChannel()) {
                    cleanup.queueDelete(queue);
                }
            }
        }
    }
}
