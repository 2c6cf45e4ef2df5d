package io.miaosha.common.queue;

import io.miaosha.common.sale.SaleKeys;

/**
 * The waiting room's keys for one sale, under the sale's hash tag so one Lua script can admit,
 * free slots and sell atomically on one Redis Cluster shard. No key holds anything per waiting
 * shopper that an operation must walk: every operation is O(1) or O(log n).
 */
public record QueueKeys(SaleKeys sale) {

    /** Set of sale ids that have (had) a queue; every gateway instance ticks these (global, not hash-tagged). */
    public static final String QUEUED_SALES = "miaosha:queue:sales";

    public QueueKeys(long saleId) {
        this(new SaleKeys(saleId));
    }

    /** Sorted set: user id scored by ticket (a lottery fraction below 1 before opening, the sequence after). */
    public String waiting() {
        return sale.tag() + ":q:waiting";
    }

    /** Sorted set: user id scored by join time (ms), for the oldest wait. */
    public String joined() {
        return sale.tag() + ":q:joined";
    }

    /** Sorted set: disconnected user id scored by the end of its grace period (ms). */
    public String gone() {
        return sale.tag() + ":q:gone";
    }

    /** Hash: user id to open sockets of that user on any instance. */
    public String connections() {
        return sale.tag() + ":q:conns";
    }

    /** Sorted set: admitted user id scored by the end of its shopping window (ms). */
    public String inside() {
        return sale.tag() + ":q:inside";
    }

    /** Hash: admitted user id to the end of its window (ms); its slot in {@link #inside()} lasts that long once acknowledged. */
    public String windows() {
        return sale.tag() + ":q:windows";
    }

    /** Integer: tickets issued after opening (the FIFO sequence). */
    public String sequence() {
        return sale.tag() + ":q:seq";
    }

    /**
     * Hash: served (tickets taken off the front so far: admissions, and tickets skipped because their
     * shopper reached the per-shopper limit), reorders (times a place could have moved other than by an
     * admission: a leave, a lost place, a lottery ticket), rate (EWMA, per second), weight (EWMA bias
     * correction), at (ms); and the slots' turnover behind the wait estimate (queue_admit.lua step 5):
     * departed and slot_ms (decayed), occupied (inside count after the last step), flow_at (ms); admitted
     * (admissions so far, step 6: the admin dashboard's conversion).
     */
    public String stats() {
        return sale.tag() + ":q:stats";
    }

    /** String: id of the gateway instance that runs this sale's admission loop, with a TTL. */
    public String lease() {
        return sale.tag() + ":q:lease";
    }

    /**
     * Hash: the pre-opening draw (see DrawFunction): seed (secret until opening), commitment (public),
     * revealed ("1" once the sale opened: from then on nobody enters the draw, and the seed is public).
     */
    public String draw() {
        return sale.tag() + ":draw";
    }

    /** Set: the public ticket ids of every shopper who entered the draw (joined before opening). */
    public String drawEntrants() {
        return sale.tag() + ":draw:entrants";
    }

    /** Set: admission token ids already used by a purchase. */
    public String admissionsUsed() {
        return sale.tag() + ":q:used";
    }
}
