package io.miaosha.common.order;

/** The states of an order; the names are stored in MySQL and shown to clients. */
public enum OrderStatus {
    PENDING_PAYMENT,
    PAID,
    EXPIRED,
    CANCELLED
}
