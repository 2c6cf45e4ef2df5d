package io.miaosha.common.events;

import io.vertx.core.json.JsonObject;

/**
 * A change of a sale's state announced on {@value #CHANNEL} to every instance of every service:
 * {@code {"v":1,"type":"SOLD_OUT","saleId":42}}. Published by flash-sale-api (changed terms, stock
 * raised), order-worker (an expired hold's units returned) and purchase.lua (the last unit sold).
 */
public record SaleEvent(Type type, long saleId) {

    public static final String CHANNEL = "miaosha:sale-events";

    public enum Type {
        /** The last unit was sold or held: answer further attempts without asking Redis. */
        SOLD_OUT,
        /** Units came back (expired hold, stock raised): forget any sold-out memory. */
        STOCK_RETURNED,
        /** The terms changed (cancelled, rescheduled): drop cached views. */
        CHANGED
    }

    public String encode() {
        return EventJson.object().put("type", type.name()).put("saleId", saleId).encode();
    }

    public static SaleEvent decode(String text) {
        JsonObject json = EventJson.parse(text);
        return new SaleEvent(Type.valueOf(EventJson.text(json, "type")), EventJson.number(json, "saleId"));
    }
}
