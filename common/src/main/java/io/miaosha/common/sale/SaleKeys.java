package io.miaosha.common.sale;

import java.util.List;

/**
 * The Redis key scheme of one sale's hot state. Every key carries the hash tag {@code {sale:ID}}
 * so that all of them land in one Redis Cluster slot and one Lua script may touch them atomically.
 */
public record SaleKeys(long saleId) {

    /** Sales that have been armed; the outbox relay and the auto-armer iterate it (not hash-tagged: global). */
    public static final String ARMED_SALES = "miaosha:sales:armed";
    /** Pub/sub channel on which sale state changes (sold out, stock returned) are announced to every instance. */
    public static final String SALE_EVENTS_CHANNEL = "miaosha:sale-events";
    /** Pub/sub channel of order status changes as JSON {orderId,userId,saleId,status}, for shoppers' sockets. */
    public static final String ORDER_EVENTS_CHANNEL = "miaosha:order-events";
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

    /** The keys of the purchase script, in the order its header documents. */
    public List<String> purchaseKeys(long userId, String idempotencyKey) {
        return List.of(meta(), stock(), userUnits(), holds(), holdDeadlines(), outbox(),
                idempotency(userId, idempotencyKey == null ? "-" : idempotencyKey),
                tag() + ":q:inside", tag() + ":q:used");
    }

    /** The keys of the arm script, in the order its header documents. */
    public List<String> armKeys() {
        return List.of(meta(), stock(), outbox());
    }

    /** The keys of the pay script, in the order its header documents. */
    public List<String> payKeys() {
        return List.of(meta(), holds(), holdDeadlines(), outbox());
    }

    /** The keys of the hold release script, in the order its header documents. */
    public List<String> releaseKeys() {
        return List.of(stock(), userUnits(), holds(), holdDeadlines());
    }
}
