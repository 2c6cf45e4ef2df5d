package io.miaosha.api.purchase;

/** Every way a purchase attempt can end; counted in the metrics as {@code miaosha.purchase.outcomes}. */
public enum PurchaseOutcome {
    ACCEPTED,
    REPLAYED,
    SOLD_OUT,
    SOLD_OUT_FROM_MEMORY,
    NOT_ENOUGH_STOCK,
    LIMIT_REACHED,
    NOT_OPEN,
    CLOSED,
    NOT_FOUND,
    REFUSED_BY_GATE
}
