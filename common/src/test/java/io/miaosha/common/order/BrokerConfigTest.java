package io.miaosha.common.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The broker settings are the RabbitMQ connector's own keys, so both connections reach the same broker. */
class BrokerConfigTest {

    private static BrokerConfig map(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(BrokerConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(BrokerConfig.class);
    }

    @Test
    void theConnectorsKeysAndTheQueueTypeAreRead() {
        BrokerConfig broker = map(Map.of("rabbitmq-host", "mq.internal", "rabbitmq-port", "5671",
                "rabbitmq-username", "orders", "rabbitmq-password", "s3cret", "rabbitmq-virtual-host", "shop",
                "rabbitmq-addresses", "mq1:5672,mq2:5672", "miaosha.broker.queue-type", "quorum"));

        assertEquals("mq.internal", broker.host());
        assertEquals(5671, broker.port());
        assertEquals("orders", broker.username());
        assertEquals("s3cret", broker.password());
        assertEquals("shop", broker.virtualHost());
        assertEquals(Optional.of("mq1:5672,mq2:5672"), broker.addresses());
        assertSame(QueueType.QUORUM, broker.queues());
    }

    @Test
    void unsetTheyAreTheLocalBrokersDefaultsWithClassicQueues() {
        // An empty address list is how the properties leave RABBITMQ_ADDRESSES unset.
        BrokerConfig broker = map(Map.of("rabbitmq-addresses", ""));

        assertEquals("localhost", broker.host());
        assertEquals(5672, broker.port());
        assertEquals("guest", broker.username());
        assertEquals("guest", broker.password());
        assertEquals("/", broker.virtualHost());
        assertEquals(Optional.empty(), broker.addresses());
        assertSame(QueueType.CLASSIC, broker.queues());
    }

    @Test
    void anUnknownQueueTypeIsRefusedNamingTheSetting() {
        BrokerConfig broker = map(Map.of("miaosha.broker.queue-type", "stream"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, broker::queues);
        assertTrue(refused.getMessage().contains("miaosha.broker.queue-type"), refused.getMessage());
    }
}
