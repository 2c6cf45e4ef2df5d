package io.miaosha.gateway.queue;

/**
 * How long a shopper with {@code ahead} people before it will wait, as a range in seconds.
 *
 * <p>With a measured admission rate r (per second) the expected wait is (ahead + 1) / r; the range
 * is that ±20%, the accuracy the rate average reaches once admissions are steady. Before any
 * admission there is no rate to measure, so the range is a bound from the sale's terms: at worst
 * every shopper inside uses the whole window, so a slot frees every window / capacity; at best
 * shoppers buy at once. Before opening, the time to opening is added to both ends. No wait is shown
 * as ending after the sale closes: past that there is nothing left to wait for, and while admissions
 * stall the measured rate decays towards zero, which would otherwise show an ever-growing wait (and
 * re-tell every waiting shopper each time it moves).
 */
public record WaitEstimate(long minSeconds, long maxSeconds) {

    public static WaitEstimate of(long ahead, double ratePerSecond, int capacity, long windowMs, long msUntilOpen,
            long msUntilClose) {
        long untilOpen = Math.max(0, msUntilOpen) / 1000;
        long untilClose = Math.max(untilOpen, Math.max(0, msUntilClose) / 1000);
        if (ratePerSecond > 0) {
            double expected = (ahead + 1) / ratePerSecond;
            return rounded(untilOpen + floor(expected * 0.8), untilOpen + ceil(expected * 1.2), untilClose);
        }
        long rounds = (ahead + capacity) / Math.max(1, capacity);
        return rounded(untilOpen, untilOpen + rounds * (windowMs / 1000), untilClose);
    }

    private static long floor(double seconds) {
        return seconds >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) Math.floor(seconds);
    }

    private static long ceil(double seconds) {
        return seconds >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) Math.ceil(seconds);
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
