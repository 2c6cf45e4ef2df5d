package io.miaosha.common.order;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Declares the order exchanges and queues. Producer and consumer both call it at startup with the
 * same arguments: a message published before the worker ever ran must still find its queue, or the
 * broker would confirm it and then drop it as unroutable.
 *
 * <pre>
 * miaosha.orders ─ order.placed ──► miaosha.orders.persist ─(reject)─► parking ─► .persist.parked
 *                ─ order.paid ────► miaosha.orders.paid
 *                ─ order.hold-due ► miaosha.orders.expire
 *                ─ hold-timer.&lt;ms&gt; (an OrderPlaced's CC) ─┐
 * miaosha.orders.delay ─ "&lt;ms&gt;" ► miaosha.orders.hold-timers.&lt;ms&gt;ms (TTL ms) ─(expired)─► miaosha.orders / order.hold-due
 * miaosha.orders.retry ─ "&lt;queue&gt;" ► &lt;queue&gt;.retry (per-message TTL = back-off) ─(expired)─► &lt;queue&gt;
 * miaosha.orders.parking ─ "&lt;queue&gt;" ► &lt;queue&gt;.parked   (kept until an admin replays them)
 * </pre>
 */
public final class OrderTopology {

    public static final String PARKING_EXCHANGE = OrderChannels.ORDERS_EXCHANGE + ".parking";
    public static final String PARKING_QUEUE = parkedQueue(OrderChannels.ORDERS_QUEUE);
    /** Header naming why a message was parked. */
    public static final String PARKED_REASON_HEADER = "x-parked-reason";
    /** Header counting how often a message went through its retry queue. */
    public static final String RETRIES_HEADER = "x-retries";
    /** Work queues that park poison messages; each has a "&lt;name&gt;.parked" queue. */
    public static final List<String> WORK_QUEUES =
            List.of(OrderChannels.ORDERS_QUEUE, OrderChannels.PAID_QUEUE, OrderChannels.EXPIRE_QUEUE);
    /** How the declaring connection shows in the broker's connection list. */
    private static final String CONNECTION_NAME = "miaosha-topology";

    private OrderTopology() {
    }

    public static String parkedQueue(String workQueue) {
        return workQueue + ".parked";
    }

    public static String retryQueue(String workQueue) {
        return workQueue + ".retry";
    }

    /**
     * The key that routes a message from {@code miaosha.orders} into the hold-timer queue of {@code holdMs}:
     * the relay publishes each OrderPlaced once, with this key in its CC header, so the order and its
     * hold timer are one message and one confirm. (Dead-lettering with the queue's own routing key drops
     * the CC header, so the expired timer goes to the expiry queue only.)
     */
    public static String holdTimerRoutingKey(long holdMs) {
        return "hold-timer." + holdMs;
    }

    public static String holdTimerQueue(long holdMs) {
        return OrderChannels.ORDERS_EXCHANGE + ".hold-timers." + holdMs + "ms";
    }

    /**
     * Work queue arguments: anything the consumer rejects outright lands in the parking lot. The
     * connectors must not redeclare the queues with other arguments (the broker would refuse).
     */
    private static Map<String, Object> queueArguments(String workQueue) {
        return Map.of("x-dead-letter-exchange", PARKING_EXCHANGE, "x-dead-letter-routing-key", workQueue);
    }

    public static ConnectionFactory connectionFactory(String host, int port, String username, String password,
            String virtualHost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        return factory;
    }

    /**
     * A connection to the broker: to the first reachable node of {@code addresses}
     * ("host:port,host:port", the {@code rabbitmq-addresses} setting of a cluster) when it is set,
     * to the factory's host and port otherwise.
     */
    public static Connection connect(ConnectionFactory factory, String addresses, String connectionName)
            throws IOException, TimeoutException {
        if (addresses == null || addresses.isBlank()) {
            return factory.newConnection(connectionName);
        }
        return factory.newConnection(Address.parseAddresses(addresses.trim()), connectionName);
    }

    /** A connection to the broker {@code broker} names (see {@link #connect(ConnectionFactory, String, String)}). */
    public static Connection connect(BrokerConfig broker, String connectionName) throws IOException, TimeoutException {
        return connect(connectionFactory(broker.host(), broker.port(), broker.username(), broker.password(),
                broker.virtualHost()), broker.addresses().orElse(null), connectionName);
    }

    /** Declares the topology on the broker {@code broker} names, with queues of its queue type. */
    public static void declare(BrokerConfig broker) throws IOException, TimeoutException {
        QueueType type = broker.queues();
        declare(connect(broker, CONNECTION_NAME), type);
    }

    /** Declares the topology with classic queues on one broker (the tests' own virtual hosts). */
    public static void declare(String host, int port, String username, String password, String virtualHost)
            throws IOException, TimeoutException {
        declare(connectionFactory(host, port, username, password, virtualHost).newConnection(CONNECTION_NAME),
                QueueType.CLASSIC);
    }

    /** Declares the topology on its own short-lived connection, closed after. */
    private static void declare(Connection connection, QueueType type) throws IOException, TimeoutException {
        try (connection; Channel channel = connection.createChannel()) {
            declare(channel, type);
        }
    }

    public static void declare(Channel channel) throws IOException {
        declare(channel, QueueType.CLASSIC);
    }

    /** Every exchange and work, parked and retry queue, the queues of {@code type}. */
    public static void declare(Channel channel, QueueType type) throws IOException {
        channel.exchangeDeclare(OrderChannels.ORDERS_EXCHANGE, "direct", true);
        channel.exchangeDeclare(PARKING_EXCHANGE, "direct", true);
        channel.exchangeDeclare(OrderChannels.RETRY_EXCHANGE, "direct", true);
        channel.exchangeDeclare(OrderChannels.DELAY_EXCHANGE, "direct", true);
        workQueue(channel, OrderChannels.ORDERS_QUEUE, OrderChannels.ORDER_PLACED_ROUTING_KEY, type);
        workQueue(channel, OrderChannels.PAID_QUEUE, OrderChannels.ORDER_PAID_ROUTING_KEY, type);
        workQueue(channel, OrderChannels.EXPIRE_QUEUE, OrderChannels.HOLD_DUE_ROUTING_KEY, type);
    }

    private static void workQueue(Channel channel, String queue, String routingKey, QueueType type) throws IOException {
        channel.queueDeclare(queue, true, false, false, type.arguments(queueArguments(queue)));
        channel.queueBind(queue, OrderChannels.ORDERS_EXCHANGE, routingKey);
        channel.queueDeclare(parkedQueue(queue), true, false, false, type.arguments(null));
        channel.queueBind(parkedQueue(queue), PARKING_EXCHANGE, queue);
        // A retry queue has no consumer: its messages wait out their per-message TTL (the back-off)
        // and are dead-lettered through the default exchange straight back to the work queue.
        channel.queueDeclare(retryQueue(queue), true, false, false,
                type.arguments(Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", queue)));
        channel.queueBind(retryQueue(queue), OrderChannels.RETRY_EXCHANGE, queue);
    }

    /**
     * The hold-timer queue of one hold duration. One queue per duration, with a queue-wide TTL:
     * RabbitMQ expires messages only at the head of a queue, so mixing durations in one queue
     * would let a long hold delay the expiry of a short one queued behind it. With one duration
     * per queue, arrival order is deadline order.
     */
    public static void declareHoldTimer(Channel channel, long holdMs) throws IOException {
        declareHoldTimer(channel, holdMs, QueueType.CLASSIC);
    }

    /** The hold-timer queue of one hold duration, of {@code type} (quorum queues expire at the head too). */
    public static void declareHoldTimer(Channel channel, long holdMs, QueueType type) throws IOException {
        String queue = holdTimerQueue(holdMs);
        channel.queueDeclare(queue, true, false, false, type.arguments(Map.of(
                "x-message-ttl", holdMs,
                "x-dead-letter-exchange", OrderChannels.ORDERS_EXCHANGE,
                "x-dead-letter-routing-key", OrderChannels.HOLD_DUE_ROUTING_KEY)));
        channel.queueBind(queue, OrderChannels.DELAY_EXCHANGE, Long.toString(holdMs));
        channel.queueBind(queue, OrderChannels.ORDERS_EXCHANGE, holdTimerRoutingKey(holdMs));
    }
}
