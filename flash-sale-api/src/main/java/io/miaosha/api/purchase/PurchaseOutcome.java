package io.miaosha.api.purchase;

/** Every way a purchase attempt can end; counted in the metrics as {@code miaosha.purchase.outcomes}. */
public enum PurchaseOutcome {
    ACCEPTED,
    REPLAYED,
    /** Accepted on the master, not acknowledged by the replicas in time: answered 503, not promised. */
    UNCONFIRMED,
    KEY_REUSED,
    /** The sale's hot state is being rebuilt after a Redis loss: answered 503, nothing done. */
    RECOVERING,
    SOLD_OUT,
    SOLD_OUT_FROM_MEMORY,
    NOT_ENOUGH_STOCK,
    LIMIT_REACHED,
    NOT_OPEN,
    CLOSED,
    NOT_FOUND,
    REFUSED_BY_GATE
}
