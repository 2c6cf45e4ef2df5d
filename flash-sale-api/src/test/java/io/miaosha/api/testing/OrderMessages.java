package io.miaosha.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.miaosha.common.order.OrderChannels;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Watches what the outbox relay publishes: a private, exclusive queue bound to the order exchange
 * with the same routing key as the worker's queue, so it receives a copy of every order message
 * whatever else consumes {@code miaosha.orders.persist} at the time (an order-worker running its
 * own tests on the same vhost, for one). Close it after use; the queue disappears with it.
 */
public final class OrderMessages implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    public record Received(JsonNode body, String messageId, String contentType, Integer deliveryMode) {
    }

    private OrderMessages(Connection connection) {
        this.connection = connection;
    }

    public static OrderMessages listen() {
        return listen(OrderChannels.ORDER_PLACED_ROUTING_KEY);
    }

    /** Copies of what the relay publishes to the order exchange with this routing key. */
    public static OrderMessages listen(String routingKey) {
        var config = ConfigProvider.getConfig();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.getValue("rabbitmq-host", String.class));
        factory.setPort(config.getValue("rabbitmq-port", Integer.class));
        factory.setUsername(config.getValue("rabbitmq-username", String.class));
        factory.setPassword(config.getValue("rabbitmq-password", String.class));
        factory.setVirtualHost(config.getValue("rabbitmq-virtual-host", String.class));
        try {
            Connection connection = factory.newConnection("flash-sale-api-tests");
            OrderMessages messages = new OrderMessages(connection);
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, OrderChannels.ORDERS_EXCHANGE, routingKey);
            channel.basicConsume(queue, true, (tag, delivery) -> messages.received.add(new Received(
                    JSON.readTree(delivery.getBody()), delivery.getProperties().getMessageId(),
                    delivery.getProperties().getContentType(), delivery.getProperties().getDeliveryMode())),
                    tag -> { });
            return messages;
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ is not reachable on the test vhost (miaosha-test-api);"
                    + " run 'source scripts/lib/env.sh && ensure_servers' to start it", e);
        }
    }

    /** Messages of this sale received so far. */
    public List<Received> forSale(long saleId) {
        return received.stream().filter(m -> m.body().path("saleId").asLong() == saleId).toList();
    }

    @Override
    public void close() throws IOException, TimeoutException {
        connection.close();
    }
}
