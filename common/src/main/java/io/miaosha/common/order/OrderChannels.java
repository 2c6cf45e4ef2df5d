package io.miaosha.common.order;

/** Names of the messaging channels and the broker objects behind them, shared by producer and consumer. */
public final class OrderChannels {

    /** Channel (both sides) carrying {@link OrderPlaced}. */
    public static final String ORDERS = "orders";
    /** Worker channel carrying {@link OrderPaid}. */
    public static final String PAYMENTS = "payments";
    /** Worker channel carrying {@link HoldDue} once its delay ran out. */
    public static final String EXPIRIES = "expiries";
    /** Relay channel publishing {@link HoldDue} to the delay exchange. */
    public static final String HOLD_TIMERS = "hold-timers";
    /** Worker channels that send a failed message to its retry queue, or to the parking lot. */
    public static final String RETRIES = "retries";
    public static final String PARKING = "parking";

    /** The exchange the relay publishes to and the worker's queues bind to. */
    public static final String ORDERS_EXCHANGE = "miaosha.orders";
    public static final String ORDERS_QUEUE = "miaosha.orders.persist";
    public static final String ORDER_PLACED_ROUTING_KEY = "order.placed";
    public static final String PAID_QUEUE = "miaosha.orders.paid";
    public static final String ORDER_PAID_ROUTING_KEY = "order.paid";
    public static final String EXPIRE_QUEUE = "miaosha.orders.expire";
    public static final String HOLD_DUE_ROUTING_KEY = "order.hold-due";
    /** Hold timers are published here with the hold time in ms as routing key. */
    public static final String DELAY_EXCHANGE = "miaosha.orders.delay";
    /** Failed messages are published here with their work queue's name as routing key. */
    public static final String RETRY_EXCHANGE = "miaosha.orders.retry";

    private OrderChannels() {
    }
}
