package io.miaosha.common.sale;

/**
 * The Redis key scheme of one sale's hot state. Every key carries the hash tag {@code {sale:ID}}
 * so that all of them land in one Redis Cluster slot and one Lua script may touch them atomically.
 */
public record SaleKeys(long saleId) {

    /** Sales that have been armed; the outbox relay and the auto-armer iterate it (not hash-tagged: global). */
    public static final String ARMED_SALES = "miaosha:sales:armed";
    /**
     * Sales armed as recovering (Redis lost their hot state) whose state is still to be rebuilt; every
     * API instance's recovery job looks at them (not hash-tagged: global).
     */
    public static final String RECOVERING_SALES = "miaosha:sales:recovering";
    /** Consumer group of the outbox relay on every sale's outbox stream. */
    public static final String RELAY_GROUP = "relay";

    public SaleKeys {
        if (saleId <= 0) {
            throw new IllegalArgumentException("saleId must be positive");
        }
    }

    public String tag() {
        return "{sale:" + saleId + "}";
    }

    /** Hash: opens_at, closes_at (epoch ms), state, per_user_limit, hold_ms, price, currency, total. */
    public String meta() {
        return tag() + ":meta";
    }

    /** Integer: units left to sell (neither held nor paid). */
    public String stock() {
        return tag() + ":stock";
    }

    /** Hash: user id to units held or bought in this sale. */
    public String userUnits() {
        return tag() + ":users";
    }

    /** Hash: order id to "userId|quantity|payByMs|status", status PENDING, PAID (then "|paymentId") or EXPIRED. */
    public String holds() {
        return tag() + ":holds";
    }

    /** Sorted set: order id scored by pay-by time, so overdue holds can be found without a scan. */
    public String holdDeadlines() {
        return tag() + ":hold-deadlines";
    }

    /** Stream: orders accepted by the purchase script, waiting for the relay. */
    public String outbox() {
        return tag() + ":outbox";
    }

    /** String: the first answer given to this user's request with this idempotency key. */
    public String idempotency(long userId, String idempotencyKey) {
        return tag() + ":idem:" + userId + ":" + idempotencyKey;
    }

    /**
     * Hash: units held (pending payment) and sold, and orders, kept by the purchase, pay and release
     * scripts once it exists, so the admin dashboard reads three fields instead of every hold.
     */
    public String tally() {
        return tag() + ":tally";
    }

    /** Hash: orders the worker persisted while the sale was recovering, for restore_sale.lua to adopt. */
    public String recoveryLate() {
        return tag() + ":recovery-late";
    }

    /** Set: every idempotency key (of any user) that got an order in this sale. */
    public String idempotencyKeys() {
        return tag() + ":idem-keys";
    }
}
