package io.miaosha.worker.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.miaosha.common.order.OrderTopology;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plain AMQP connection to the test vhost, for publishing what the relay would and reading parked queues. */
public final class Broker implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    private Broker(Connection connection) throws Exception {
        this.connection = connection;
        this.channel = connection.createChannel();
        channel.confirmSelect();
    }

    public static Broker open() {
        var config = ConfigProvider.getConfig();
        try {
            return new Broker(OrderTopology.connectionFactory(config.getValue("rabbitmq-host", String.class),
                    config.getValue("rabbitmq-port", Integer.class), config.getValue("rabbitmq-username", String.class),
                    config.getValue("rabbitmq-password", String.class), config.getValue("rabbitmq-virtual-host", String.class))
                    .newConnection("order-worker-tests"));
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ is not reachable; run 'source scripts/lib/env.sh && ensure_servers'", e);
        }
    }

    public Channel channel() {
        return channel;
    }

    public void publish(String exchange, String routingKey, String json) throws Exception {
        publish(exchange, routingKey, json, Map.of());
    }

    public void publish(String exchange, String routingKey, String json, Map<String, Object> headers) throws Exception {
        channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).headers(headers).build(),
                json.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5000);
    }

    /** Takes one message off a queue (acknowledged), or null. */
    public GetResponse take(String queue) throws Exception {
        return channel.basicGet(queue, true);
    }

    public void purge(String queue) throws Exception {
        channel.queuePurge(queue);
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
