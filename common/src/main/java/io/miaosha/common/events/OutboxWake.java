package io.miaosha.common.events;

/**
 * A sale's outbox was empty and got an entry, on {@value #CHANNEL}: {@code {"v":1,"saleId":42}}.
 * Published by purchase.lua and pay.lua in the same step as the entry, so the relays read only the
 * outboxes that have something to move instead of polling every armed sale (their periodic sweep
 * catches a wake-up lost with a subscriber's connection).
 */
public record OutboxWake(long saleId) {

    public static final String CHANNEL = "miaosha:outbox-wake";

    public OutboxWake {
        if (saleId <= 0) {
            throw new IllegalArgumentException("a sale id is positive: " + saleId);
        }
    }

    public String encode() {
        return EventJson.object().put("saleId", saleId).encode();
    }

    public static OutboxWake decode(String text) {
        return new OutboxWake(EventJson.number(EventJson.parse(text), "saleId"));
    }
}
