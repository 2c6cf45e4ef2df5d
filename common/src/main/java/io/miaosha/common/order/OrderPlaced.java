package io.miaosha.common.order;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The message the outbox relay publishes for every accepted purchase, and the order-worker
 * persists. The order id is the idempotency key of the whole pipeline: it is the primary key
 * of the order row, so a redelivery inserts nothing. The Idempotency-Key the purchase was sent with
 * (and its body's fingerprint) is stored with the order, null when there was none: recovery after a
 * Redis loss rebuilds the idempotency record from it.
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
        long payByMs,
        String idempotencyKey,
        String requestFingerprint) {

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
        // The columns' widths: the API accepts keys of at most 64 characters.
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 64)) {
            throw new IllegalArgumentException("idempotencyKey must be 1 to 64 characters");
        }
        if (requestFingerprint != null && requestFingerprint.length() > 64) {
            throw new IllegalArgumentException("requestFingerprint must be at most 64 characters");
        }
    }

    public long totalMinor() {
        return unitPriceMinor * quantity;
    }
}
