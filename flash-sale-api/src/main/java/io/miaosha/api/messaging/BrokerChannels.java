package io.miaosha.api.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.miaosha.common.order.OrderTopology;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One plain AMQP connection for the API's rare blocking broker calls (declaring the topology at
 * start, a hold-timer queue later, listing and replaying parked messages), beside the reactive
 * messaging connector's own. Opened on first use and again after the broker dropped it; callers run on worker threads.
 */
@ApplicationScoped
public class BrokerChannels {

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String virtualHost;
    private Connection connection;

    public BrokerChannels(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
    }

    /** A new channel on the shared connection; the caller closes it. */
    public synchronized Channel open() throws Exception {
        if (connection == null || !connection.isOpen()) {
            connection = OrderTopology.connectionFactory(host, port, username, password, virtualHost)
                    .newConnection("flash-sale-api-admin");
        }
        return connection.createChannel();
    }

    @PreDestroy
    synchronized void close() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
        } catch (Exception ignored) {
            // shutting down: nothing left to protect
        }
    }
}
