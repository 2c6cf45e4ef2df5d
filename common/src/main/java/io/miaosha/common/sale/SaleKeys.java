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

    /**
     * String: one byte per seat position of a seated sale, '0' free, '1' held, '2' sold; the whole
     * seat map is one GET, a seat one GETRANGE/SETRANGE (100,000 seats are 100 KB).
     */
    public String seats() {
        return tag() + ":seats";
    }

    /** Hash: areas (end position of each area), prices (each area's), rows:ORDINAL (row starts); only for seated sales. */
    public String seatLayout() {
        return tag() + ":seat-layout";
    }

    /** Hash: order id to "amountMinor|p1,p2,..." for the holds of a seated sale. */
    public String holdSeats() {
        return tag() + ":hold-seats";
    }

    /**
     * Stream: every change of seat states (fields state = 0|1|2, seats = "p1,p2"), capped near
     * {@link #SEAT_CHANGES_KEPT}; a live seat map reads the entries after the last id it saw.
     */
    public String seatChanges() {
        return tag() + ":seat-changes";
    }

    /** About how many seat changes a sale's stream keeps (XADD MAXLEN ~): a viewer further behind reloads the map. */
    public static final int SEAT_CHANGES_KEPT = 10_000;
}
