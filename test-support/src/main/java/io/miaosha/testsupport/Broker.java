package io.miaosha.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.miaosha.common.order.OrderBatch;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

/**
 * The test side of a RabbitMQ vhost on 127.0.0.1:5672: publishes order messages the way the relay
 * does (persistent, JSON, publisher confirms) and taps an exchange with a private, exclusive queue,
 * so a test sees a copy of its own messages whatever else consumes the real queue meanwhile (an
 * order-worker running its own tests on the same vhost, for one). The tap's queue goes with it.
 */
public final class Broker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Channel channel;

    private Broker(Connection connection, Channel channel) {
        this.connection = connection;
        this.channel = channel;
    }

    /** order-worker's tests' vhost, its order topology declared (as the worker declares it). */
    public static Broker workerTests() {
        try {
            OrderTopology.declare("127.0.0.1", 5672, "guest", "guest", TestStores.VHOST);
        } catch (IOException | TimeoutException e) {
            throw unreachable(TestStores.VHOST, e);
        }
        return connect(TestStores.VHOST);
    }

    public static Broker connect(String virtualHost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setVirtualHost(virtualHost);
        try {
            Connection connection = factory.newConnection("miaosha-tests");
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            return new Broker(connection, channel);
        } catch (IOException | TimeoutException e) {
            throw unreachable(virtualHost, e);
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

    /** Takes one message off a queue (acknowledged), or null. */
    public GetResponse take(String queue) throws Exception {
        return channel.basicGet(queue, true);
    }

    public void purge(String queue) throws Exception {
        channel.queuePurge(queue);
    }

    public long messagesReady(String queue) throws IOException {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    /** Copies of what is published to this exchange with this routing key from now on. */
    public Tap tap(String exchange, String routingKey) throws IOException {
        Channel tapChannel = connection.createChannel();
        String queue = tapChannel.queueDeclare().getQueue();
        tapChannel.queueBind(queue, exchange, routingKey);
        Tap tap = new Tap(tapChannel::close);
        tapChannel.basicConsume(queue, true, (tag, delivery) -> {
            Message message = new Message(new String(delivery.getBody(), StandardCharsets.UTF_8),
                    delivery.getProperties().getMessageId(), delivery.getProperties().getContentType(),
                    delivery.getProperties().getDeliveryMode());
            tap.delivered.add(message);
            tap.received.addAll(message.orders());
        }, tag -> { });
        return tap;
    }

    /** A tap on a connection of its own, to this vhost: closing the tap closes the connection. */
    public static Tap listen(String virtualHost, String exchange, String routingKey) throws IOException {
        Broker broker = connect(virtualHost);
        Tap tap = broker.tap(exchange, routingKey);
        return new Tap(tap.received, tap.delivered, broker::close);
    }

    /** What is published to the order exchange with this routing key (the relay's orders, payments...). */
    public static Tap orders(String virtualHost, String routingKey) throws IOException {
        return listen(virtualHost, OrderChannels.ORDERS_EXCHANGE, routingKey);
    }

    /** A copy of every message dead-lettered to the parking queue from now on. */
    public Tap tapParking() throws IOException {
        return tap(OrderTopology.PARKING_EXCHANGE, OrderChannels.ORDERS_QUEUE);
    }

    /** One message the tap received: its body and the properties the relay sets. */
    public record Message(String body, String messageId, String contentType, Integer deliveryMode) {

        /**
         * A batch of orders (the relay's OrderBatch) as one message per order, each named by its order id;
         * any other message as itself.
         */
        public List<Message> orders() {
            JsonNode orders;
            try {
                orders = JSON.readTree(body).get(OrderBatch.ORDERS_FIELD);
            } catch (IOException notJson) {
                return List.of(this);
            }
            if (orders == null || !orders.isArray()) {
                return List.of(this);
            }
            List<Message> each = new ArrayList<>();
            orders.forEach(order -> each.add(new Message(order.toString(), order.path("orderId").asText(), contentType,
                    deliveryMode)));
            return each;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** What a tap has received so far; closing it removes its queue. */
    public static final class Tap implements AutoCloseable {
        private final ConcurrentLinkedQueue<Message> received;
        private final ConcurrentLinkedQueue<Message> delivered;
        private final Closer closer;

        private Tap(Closer closer) {
            this(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(), closer);
        }

        private Tap(ConcurrentLinkedQueue<Message> received, ConcurrentLinkedQueue<Message> delivered, Closer closer) {
            this.received = received;
            this.delivered = delivered;
            this.closer = closer;
        }

        /** How many messages the broker delivered with orders of this sale: a batch of orders counts once. */
        public long deliveries(long saleId) {
            return delivered.stream().filter(m -> m.orders().stream().anyMatch(o -> o.json().path("saleId").asLong() == saleId))
                    .count();
        }

        /** What the tap received, a batch of orders unpacked into one message per order. */
        public List<Message> received() {
            return List.copyOf(received);
        }

        /** Messages whose JSON body names this sale. */
        public List<Message> forSale(long saleId) {
            return received.stream().filter(m -> m.json().path("saleId").asLong() == saleId).toList();
        }

        public boolean got(String messageId) {
            return received.stream().anyMatch(m -> messageId.equals(m.messageId()));
        }

        @Override
        public void close() throws IOException, TimeoutException {
            closer.close();
        }
    }

    private interface Closer {
        void close() throws IOException, TimeoutException;
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    private static IllegalStateException unreachable(String virtualHost, Exception e) {
        return new IllegalStateException("RabbitMQ is not reachable on 127.0.0.1:5672 vhost " + virtualHost
                + "; run 'source scripts/lib/env.sh && ensure_servers' to start it", e);
    }
}
