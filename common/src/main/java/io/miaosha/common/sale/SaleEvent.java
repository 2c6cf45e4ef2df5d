package io.miaosha.common.sale;

/**
 * A change of a sale's state announced on {@link SaleKeys#SALE_EVENTS_CHANNEL} to every instance
 * of every service. Encoded as {@code TYPE:saleId} so that a subscriber needs no JSON mapper.
 */
public record SaleEvent(Type type, long saleId) {

    public enum Type {
        /** The last unit was sold or held: answer further attempts without asking Redis. */
        SOLD_OUT,
        /** Units came back (expired hold, stock raised): forget any sold-out memory. */
        STOCK_RETURNED,
        /** The terms changed (cancelled, rescheduled): drop cached views. */
        CHANGED
    }

    public String encode() {
        return type.name() + ":" + saleId;
    }

    public static SaleEvent decode(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a sale event: " + text);
        }
        return new SaleEvent(Type.valueOf(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }
}
