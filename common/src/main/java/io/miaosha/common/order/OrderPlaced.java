package io.miaosha.common.order;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The message the outbox relay publishes for every accepted purchase, and the order-worker
 * persists. The order id is the idempotency key of the whole pipeline: it is the primary key
 * of the order row, so a redelivery inserts nothing.
 */
@RegisterForReflection
public record OrderPlaced(
        String orderId,
        long saleId,
        long userId,
        int quantity,
        long unitPriceMinor,
        String currency,
        long createdAtMs,
        long payByMs) {

    public OrderPlaced {
        OrderIds.requireValid(orderId);
        if (saleId <= 0 || userId <= 0) {
            throw new IllegalArgumentException("saleId and userId must be positive");
        }
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be positive");
        }
        if (unitPriceMinor < 0) {
            throw new IllegalArgumentException("unitPriceMinor must not be negative");
        }
        if (currency == null || currency.length() != 3) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code");
        }
    }

    public long totalMinor() {
        return unitPriceMinor * quantity;
    }
}
