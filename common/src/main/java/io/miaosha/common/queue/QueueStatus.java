package io.miaosha.common.queue;

/**
 * A sale's waiting room at one moment, as {@link QueueStatusScript} reads it in one round trip.
 *
 * @param ratePerSecond measured admission rate (bias-corrected EWMA); 0 before the first admission
 * @param oldestJoinMs  join time of the longest-waiting ticket, 0 when nobody waits
 * @param reorders      count of changes that can move a place other than admissions (see QueueKeys#stats)
 * @param unpaidHolds   holds not paid yet: each may still return its units when it expires
 * @param nextPayByMs   the earliest pay-by time of those holds, 0 when there is none
 * @param perUserLimit  the most units one shopper may buy (0 when unknown)
 * @param recentDepartures  slots freed inside (and tickets skipped) lately, exponentially decayed with the
 *                          rate's time constant (queue_admit.lua step 5)
 * @param recentSlotSeconds slot-seconds occupied inside over the same decayed past: with
 *                          {@code recentDepartures}, how fast a slot turns over (the wait estimate's base)
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
        long reorders,
        long unpaidHolds,
        long nextPayByMs,
        int perUserLimit,
        double recentDepartures,
        double recentSlotSeconds) {

    /** A status without turnover measured yet. */
    public QueueStatus(String state, long opensAtMs, long closesAtMs, int capacity, long windowMs, long unitsLeft,
            long waiting, long inside, long served, double ratePerSecond, long oldestJoinMs, boolean queueEnabled,
            long reorders, long unpaidHolds, long nextPayByMs, int perUserLimit) {
        this(state, opensAtMs, closesAtMs, capacity, windowMs, unitsLeft, waiting, inside, served, ratePerSecond,
                oldestJoinMs, queueEnabled, reorders, unpaidHolds, nextPayByMs, perUserLimit, 0, 0);
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

    /**
     * The state names of the waiting-room protocol: upcoming, live, paused (no units left, but unpaid
     * holds may still return some), sold_out (nothing left and nothing can come back), ended, cancelled.
     */
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
        if (unitsLeft > 0) {
            return "live";
        }
        return unpaidHolds > 0 ? "paused" : "sold_out";
    }

    public double admittedPerMinute() {
        return ratePerSecond * 60;
    }

    public long oldestWaitSeconds(long nowMs) {
        return oldestJoinMs <= 0 ? 0 : Math.max(0, (nowMs - oldestJoinMs) / 1000);
    }
}
