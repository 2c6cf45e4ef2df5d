package io.miaosha.common.queue;

import io.vertx.mutiny.redis.client.Response;

/**
 * A sale's waiting room at one moment, as queue_status.lua reads it in one round trip.
 *
 * @param ratePerSecond measured admission rate (bias-corrected EWMA); 0 before the first admission
 * @param oldestJoinMs  join time of the longest-waiting ticket, 0 when nobody waits
 * @param reorders      count of changes that can move a place other than admissions (see QueueKeys#stats)
 */
public record QueueStatus(
        String state,
        long opensAtMs,
        long closesAtMs,
        int capacity,
        long windowMs,
        long unitsLeft,
        long waiting,
        long inside,
        long served,
        double ratePerSecond,
        long oldestJoinMs,
        boolean queueEnabled,
        long reorders) {

    /** Null when the sale is not armed (no hot state in Redis). */
    public static QueueStatus of(Response reply) {
        if (reply == null || reply.size() == 0) {
            return null;
        }
        double rate = number(reply.get(9));
        double weight = number(reply.get(10));
        return new QueueStatus(reply.get(0).toString(), (long) number(reply.get(1)), (long) number(reply.get(2)),
                (int) Math.max(1, number(reply.get(3))), (long) number(reply.get(4)), (long) number(reply.get(5)),
                reply.get(6).toLong(), reply.get(7).toLong(), (long) number(reply.get(8)),
                weight > 0 ? rate / weight : 0, (long) number(reply.get(11)), "1".equals(reply.get(12).toString()),
                (long) number(reply.get(13)));
    }

    public boolean cancelled() {
        return "cancelled".equals(state);
    }

    public boolean ended(long nowMs) {
        return nowMs >= closesAtMs;
    }

    public boolean upcoming(long nowMs) {
        return nowMs < opensAtMs;
    }

    /** Open, with stock: the admission loop admits. */
    public boolean admitting(long nowMs) {
        return !cancelled() && !upcoming(nowMs) && !ended(nowMs) && unitsLeft > 0;
    }

    /** The state names of the waiting-room protocol: upcoming, live, sold_out, ended, cancelled. */
    public String saleState(long nowMs) {
        if (cancelled()) {
            return "cancelled";
        }
        if (ended(nowMs)) {
            return "ended";
        }
        if (upcoming(nowMs)) {
            return "upcoming";
        }
        return unitsLeft > 0 ? "live" : "sold_out";
    }

    public double admittedPerMinute() {
        return ratePerSecond * 60;
    }

    public long oldestWaitSeconds(long nowMs) {
        return oldestJoinMs <= 0 ? 0 : Math.max(0, (nowMs - oldestJoinMs) / 1000);
    }

    private static double number(Response value) {
        if (value == null) {
            return 0;
        }
        String text = value.toString();
        return text.isEmpty() ? 0 : Double.parseDouble(text);
    }
}
