package io.miaosha.common.order;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Where the services' plain AMQP connections go (the topology declaration, the API's hold timers and
 * parking lot) and what type the order queues are. The connection keys are the RabbitMQ connector's
 * own global settings ({@code rabbitmq-host}, ...), so a plain connection always reaches the broker and
 * virtual host the connector does; hence the empty prefix. Every value has a default, so a service of
 * common's that never talks to the broker maps it without setting anything.
 */
@ConfigMapping(prefix = "")
public interface BrokerConfig {

    @WithName("rabbitmq-host")
    @WithDefault("localhost")
    String host();

    @WithName("rabbitmq-port")
    @WithDefault("5672")
    int port();

    @WithName("rabbitmq-username")
    @WithDefault("guest")
    String username();

    @WithName("rabbitmq-password")
    @WithDefault("guest")
    String password();

    @WithName("rabbitmq-virtual-host")
    @WithDefault("/")
    String virtualHost();

    /** A cluster's "host:port,host:port"; when set, a connection goes to the first node that answers. */
    @WithName("rabbitmq-addresses")
    Optional<String> addresses();

    /** {@code classic} or {@code quorum} (see {@link QueueType}); read through {@link #queues()}. */
    @WithName("miaosha.broker.queue-type")
    @WithDefault("classic")
    String queueType();

    /** The type the order queues are declared with; an unknown value is refused naming the setting. */
    default QueueType queues() {
        return QueueType.parse(queueType());
    }
}
