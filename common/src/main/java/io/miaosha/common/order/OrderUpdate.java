package io.miaosha.common.order;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An order's new status, published as JSON on {@code miaosha:order-events} (Redis pub/sub) so the
 * queue-gateway can push it to the shopper's open WebSocket.
 */
@RegisterForReflection
public record OrderUpdate(String orderId, long userId, long saleId, OrderStatus status) {

    public String toJson() {
        return "{\"orderId\":\"" + orderId + "\",\"userId\":" + userId + ",\"saleId\":" + saleId
                + ",\"status\":\"" + status.name() + "\"}";
    }
}
