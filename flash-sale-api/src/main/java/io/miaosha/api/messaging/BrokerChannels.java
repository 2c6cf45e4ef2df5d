package io.miaosha.api.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.miaosha.common.order.BrokerConfig;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.common.order.QueueType;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One plain AMQP connection for the API's rare blocking broker calls (a hold-timer queue, listing
 * and replaying parked messages), beside the reactive messaging connector's own. Opened on first use
 * and again after the broker dropped it; callers run on worker threads. On a cluster (rabbitmq-addresses
 * set) it connects to the first node of the list that answers; the queues it declares are of
 * miaosha.broker.queue-type. The topology itself is declared at startup by common's OrderTopologyDeclarer.
 */
@ApplicationScoped
public class BrokerChannels {

    private final BrokerConfig config;
    private final QueueType queueType;
    private Connection connection;

    public BrokerChannels(BrokerConfig config) {
        this.config = config;
        this.queueType = config.queues();
    }

    /** The type the order queues are declared with. */
    public QueueType queueType() {
        return queueType;
    }

    /** A new channel on the shared connection; the caller closes it. */
    public synchronized Channel open() throws Exception {
        if (connection == null || !connection.isOpen()) {
            connection = OrderTopology.connect(config, "flash-sale-api-admin");
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
