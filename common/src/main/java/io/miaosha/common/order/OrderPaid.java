package io.miaosha.common.order;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Published by the outbox relay when pay.lua marked a hold paid; the order-worker makes the order
 * PAID in MySQL and hands a confirmation email to SQS. Keyed by the order id: a redelivery finds
 * the order already PAID and changes nothing.
 */
@RegisterForReflection
public record OrderPaid(
        String orderId,
        long saleId,
        long userId,
        int quantity,
        long unitPriceMinor,
        String currency,
        String paymentId,
        long paidAtMs) {

    public OrderPaid {
        OrderIds.requireValid(orderId);
        if (saleId <= 0 || userId <= 0 || quantity <= 0) {
            throw new IllegalArgumentException("saleId, userId and quantity must be positive");
        }
        if (paymentId == null || paymentId.isBlank()) {
            throw new IllegalArgumentException("paymentId is required");
        }
    }

    public long totalMinor() {
        return unitPriceMinor * quantity;
    }
}
