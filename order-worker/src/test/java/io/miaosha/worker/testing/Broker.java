package io.miaosha.worker.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

/**
 * The test side of RabbitMQ vhost {@code miaosha-test}: publishes order messages the way the relay
 * does (persistent, JSON, publisher confirms) and taps the parking exchange with a private queue,
 * so a test sees its own parked messages whatever else shares the vhost.
 */
public final class Broker implements AutoCloseable {

    public static final String VIRTUAL_HOST = System.getenv().getOrDefault("MIAOSHA_TEST_VHOST", "miaosha-test");

    private final Connection connection;
    private final Channel channel;

    private Broker(Connection connection, Channel channel) {
        this.connection = connection;
        this.channel = channel;
    }

    public static Broker connect() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setVirtualHost(VIRTUAL_HOST);
        try {
            OrderTopology.declare("127.0.0.1", 5672, "guest", "guest", VIRTUAL_HOST);
            Connection connection = factory.newConnection("order-worker-tests");
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            return new Broker(connection, channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ is not reachable on 127.0.0.1:5672 vhost " + VIRTUAL_HOST
                    + "; run 'source scripts/lib/env.sh && ensure_servers' to start it", e);
        }
    }

    /** The same connection for tests that speak of it as opening the broker. */
    public static Broker open() {
        return connect();
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

    /** Publishes to the order exchange as the relay does, and waits for the broker's confirm. */
    public void publish(String json, String messageId) throws Exception {
        publishAll(List.of(json), List.of(messageId));
    }

    public void publishAll(List<String> bodies, List<String> messageIds) throws Exception {
        for (int i = 0; i < bodies.size(); i++) {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).messageId(messageIds.get(i)).build();
            channel.basicPublish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PLACED_ROUTING_KEY, properties,
                    bodies.get(i).getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(10_000);
    }

    public long messagesReady(String queue) throws IOException {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    /** A private queue receiving a copy of every message dead-lettered to the parking queue from now on. */
    public Tap tapParking() throws IOException {
        Channel tapChannel = connection.createChannel();
        String queue = tapChannel.queueDeclare().getQueue();
        tapChannel.queueBind(queue, OrderTopology.PARKING_EXCHANGE, OrderChannels.ORDERS_QUEUE);
        Tap tap = new Tap();
        tapChannel.basicConsume(queue, true, (tag, delivery) -> tap.received.add(new Parked(
                delivery.getProperties().getMessageId(), new String(delivery.getBody(), StandardCharsets.UTF_8))),
                tag -> { });
        return tap;
    }

    public record Parked(String messageId, String body) {
    }

    public static final class Tap {
        private final ConcurrentLinkedQueue<Parked> received = new ConcurrentLinkedQueue<>();

        public boolean parked(String messageId) {
            return received.stream().anyMatch(p -> messageId.equals(p.messageId()));
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
