package io.miaosha.common.order;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The delayed message that ends an unpaid hold. The relay publishes it to a hold-timer queue whose
 * message TTL is the sale's hold time; when the TTL runs out the broker dead-letters it to the
 * expiry queue, at the order's pay-by time.
 */
@RegisterForReflection
public record HoldDue(String orderId, long saleId, long payByMs) {

    public HoldDue {
        OrderIds.requireValid(orderId);
        if (saleId <= 0) {
            throw new IllegalArgumentException("saleId must be positive");
        }
    }
}
