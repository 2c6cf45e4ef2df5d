package io.miaosha.common.events;

import io.miaosha.common.order.OrderStatus;
import io.vertx.core.json.JsonObject;

/**
 * An order's new status on {@value #CHANNEL}, for the queue-gateway to push to the shopper's open
 * sockets: {@code {"v":1,"orderId":"…","userId":7,"saleId":42,"status":"PAID"}}. Published by
 * purchase.lua (PENDING_PAYMENT, for a sale behind the waiting room) and order-worker (PAID, EXPIRED).
 */
public record OrderUpdate(String orderId, long userId, long saleId, OrderStatus status) {

    public static final String CHANNEL = "miaosha:order-events";

    public String encode() {
        return EventJson.object().put("orderId", orderId).put("userId", userId).put("saleId", saleId)
                .put("status", status.name()).encode();
    }

    public static OrderUpdate decode(String text) {
        JsonObject json = EventJson.parse(text);
        return new OrderUpdate(EventJson.text(json, "orderId"), EventJson.number(json, "userId"),
                EventJson.number(json, "saleId"), OrderStatus.valueOf(EventJson.text(json, "status")));
    }
}
