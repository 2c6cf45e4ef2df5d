package io.miaosha.common.order;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The message the outbox relay publishes for every accepted purchase, and the order-worker
 * persists. The order id is the idempotency key of the whole pipeline: it is the primary key
 * of the order row, so a redelivery inserts nothing. The Idempotency-Key the purchase was sent with
 * (and its body's fingerprint) is stored with the order, null when there was none: recovery after a
 * Redis loss rebuilds the idempotency record from it. A seat pick's order names its seats (their
 * positions in the venue) and its exact total; both are null for an order of units.
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
        String requestFingerprint,
        List<Integer> seatPositions,
        Long amountMinor) {

    /** An order of units (no seats): its total is the unit price times the quantity. */
    public OrderPlaced(String orderId, long saleId, long userId, int quantity, long unitPriceMinor, String currency,
            long createdAtMs, long payByMs, String idempotencyKey, String requestFingerprint) {
        this(orderId, saleId, userId, quantity, unitPriceMinor, currency, createdAtMs, payByMs, idempotencyKey,
                requestFingerprint, null, null);
    }

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
        seatPositions = seatPositions == null || seatPositions.isEmpty() ? null : List.copyOf(seatPositions);
        if (seatPositions != null && seatPositions.size() != quantity) {
            throw new IllegalArgumentException("a seated order has one seat per unit");
        }
        if (amountMinor != null && amountMinor < 0) {
            throw new IllegalArgumentException("amountMinor must not be negative");
        }
    }

    /** Seated orders carry their exact total (seats of several areas differ in price). */
    public long totalMinor() {
        return amountMinor != null ? amountMinor : unitPriceMinor * quantity;
    }

    public boolean seated() {
        return seatPositions != null;
    }
}
