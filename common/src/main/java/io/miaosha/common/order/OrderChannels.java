package io.miaosha.common.order;

/** Names of the messaging channels and the broker objects behind them, shared by producer and consumer. */
public final class OrderChannels {

    /** Channel (both sides) carrying {@link OrderPlaced}. */
    public static final String ORDERS = "orders";
    /** The exchange the relay publishes to and the worker's queue binds to. */
    public static final String ORDERS_EXCHANGE = "miaosha.orders";
    public static final String ORDERS_QUEUE = "miaosha.orders.persist";
    public static final String ORDER_PLACED_ROUTING_KEY = "order.placed";

    private OrderChannels() {
    }
}
