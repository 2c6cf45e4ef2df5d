package io.miaosha.common.order;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Declares the order exchange, the worker's queue and its parking lot. Producer and consumer both
 * call it at startup with the same arguments: a message published before the worker ever ran
 * must still find its queue, or the broker would confirm it and then drop it as unroutable.
 */
public final class OrderTopology {

    public static final String PARKING_EXCHANGE = OrderChannels.ORDERS_EXCHANGE + ".parking";
    public static final String PARKING_QUEUE = OrderChannels.ORDERS_QUEUE + ".parked";

    private OrderTopology() {
    }

    /** Queue arguments; the connector must not redeclare the queue with others (it would fail). */
    public static Map<String, Object> queueArguments() {
        return Map.of("x-dead-letter-exchange", PARKING_EXCHANGE,
                "x-dead-letter-routing-key", OrderChannels.ORDERS_QUEUE);
    }

    public static void declare(String host, int port, String username, String password, String virtualHost)
            throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        try (Connection connection = factory.newConnection("miaosha-topology");
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(OrderChannels.ORDERS_EXCHANGE, "direct", true);
            channel.exchangeDeclare(PARKING_EXCHANGE, "direct", true);
            channel.queueDeclare(OrderChannels.ORDERS_QUEUE, true, false, false, queueArguments());
            channel.queueBind(OrderChannels.ORDERS_QUEUE, OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PLACED_ROUTING_KEY);
            channel.queueDeclare(PARKING_QUEUE, true, false, false, null);
            channel.queueBind(PARKING_QUEUE, PARKING_EXCHANGE, OrderChannels.ORDERS_QUEUE);
        }
    }
}
