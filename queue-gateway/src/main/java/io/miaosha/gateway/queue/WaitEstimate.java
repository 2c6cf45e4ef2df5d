package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueStatus;

/**
 * How long a shopper with {@code ahead} people before it will wait, as a range in seconds.
 *
 * <p>What the wait really is: a shopper is admitted when a slot inside frees for it. Free slots are
 * filled at the next admission step (or, before opening, all at once at opening), so of the
 * {@code ahead + 1} admissions up to and including its own, the first {@code free} need nobody to
 * leave; each of the others waits for a slot to turn over. The queue's pace is therefore how fast a
 * slot turns over while occupied: slots freed (purchases, leaves, windows over) per slot-second
 * occupied, both exponentially decayed over the rate's time constant in Redis by the admission
 * step (queue_admit.lua, step 5), times the capacity. Measured against occupied time rather than
 * against the clock, neither the opening fill (every slot taken at once) nor a paused or empty
 * queue makes the pace look faster or slower than the shoppers inside make it, and shoppers still
 * inside count for the time they have spent there (so the first, fastest leavers do not make waits
 * look short: the bias measured in issue 16).
 *
 * <p>Before anything is measured the pace comes from the sale's terms: a prior worth
 * {@link #PRIOR_DEPARTURES} of a departure, at a mean stay of half the window. It fades as
 * departures are measured, so the range narrows from the terms' bound towards the measured pace
 * instead of jumping. The range is the midpoint ± {@link #SPREAD} coefficients of variation: the
 * pace's own (one over the square root of the departures it rests on) and the randomness of the
 * departures still to come (one over the square root of their number), with a floor of 10%. Its top
 * never passes the bound from capacity and window: every slot turns over at least once per window,
 * so the n-th departure comes within ceil(n / capacity) windows, each with an admission step's lag. Before opening, the time to opening
 * is added; no wait is shown ending after the sale closes (a stalled queue's pace decays towards
 * zero, which would otherwise show an ever-growing wait and re-tell every waiting shopper).
 */
public record WaitEstimate(long minSeconds, long maxSeconds) {

    /** Weight of the pace from the sale's terms, in departures: a fifth of one, gone after a few measured. */
    static final double PRIOR_DEPARTURES = 0.2;
    /** Half-width of the range in coefficients of variation (about an 80% interval). */
    static final double SPREAD = 1.28;
    /** The admission step's period (queue admit-every): a freed slot is filled at the next step. */
    static final double ADMISSION_STEP_SECONDS = 0.2;
    /** The least relative uncertainty: the pace drifts even when well measured. */
    static final double LEAST_VARIATION = 0.1;

    public static WaitEstimate of(long ahead, QueueStatus status, long nowMs) {
        boolean upcoming = status.upcoming(nowMs);
        long free = upcoming ? status.capacity() : Math.max(0, status.capacity() - status.inside());
        return of(ahead, free, status.capacity(), status.windowMs(), status.recentDepartures(),
                status.recentSlotSeconds(), status.opensAtMs() - nowMs, status.closesAtMs() - nowMs);
    }

    /**
     * @param free        slots that take the next shoppers without anyone leaving
     * @param departures  slots freed lately (decayed), see {@link QueueStatus#recentDepartures()}
     * @param slotSeconds slot-seconds occupied over the same past
     */
    static WaitEstimate of(long ahead, long free, int capacity, long windowMs, double departures, double slotSeconds,
            long msUntilOpen, long msUntilClose) {
        long untilOpen = Math.max(0, msUntilOpen) / 1000;
        long untilClose = Math.max(untilOpen, Math.max(0, msUntilClose) / 1000);
        long turnovers = Math.max(0, ahead + 1 - free);
        if (turnovers == 0) {
            // In at the next admission step (a fifth of a second), or at opening.
            return rounded(untilOpen, untilOpen + 1, untilClose);
        }
        int slots = Math.max(1, capacity);
        double window = Math.max(1, windowMs) / 1000.0;
        double evidence = PRIOR_DEPARTURES + Math.max(0, departures);
        double turnoverPerSlotSecond = evidence / (PRIOR_DEPARTURES * window / 2 + Math.max(0, slotSeconds));
        double expected = turnovers / (slots * turnoverPerSlotSecond);
        double variation = Math.sqrt(1 / evidence + 1.0 / turnovers + LEAST_VARIATION * LEAST_VARIATION);
        // Each turnover also waits for the admission step that sees the slot free (admit-every, 200 ms).
        double bound = Math.ceil(turnovers / (double) slots) * (window + ADMISSION_STEP_SECONDS);
        double high = Math.min(expected * (1 + SPREAD * variation), bound);
        double low = Math.min(expected * Math.max(0, 1 - SPREAD * variation), high);
        return rounded(untilOpen + floor(low), untilOpen + ceil(high), untilClose);
    }

    private static long floor(double seconds) {
        return seconds >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : (long) Math.floor(seconds);
    }

    private static long ceil(double seconds) {
        return seconds >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : (long) Math.ceil(seconds);
    }

    /**
     * Widens the range outwards to a step that grows with the wait (1 s under 20 s, 5 s under 2 min,
     * 30 s under 20 min, 1 min under an hour, then 5 min), then cuts it at the sale's close (rounded
     * down to the same steps, so a clipped range moves once a step, not every second): the range never gets narrower than measured, a shopper is not
     * shown seconds flickering on a half-hour wait, and a socket is pushed only when the shown range moves.
     */
    private static WaitEstimate rounded(long min, long max, long untilClose) {
        long last = untilClose / step(untilClose) * step(untilClose);
        long down = step(min);
        long up = step(max);
        long shownMax = Math.min((max + up - 1) / up * up, Math.max(last, 1));
        return new WaitEstimate(Math.min(min / down * down, shownMax), shownMax);
    }

    private static long step(long seconds) {
        return seconds < 20 ? 1 : seconds < 120 ? 5 : seconds < 1200 ? 30 : seconds < 3600 ? 60 : 300;
    }
}
