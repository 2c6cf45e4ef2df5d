package io.miaosha.gateway.queue;

/**
 * How long a shopper with {@code ahead} people before it will wait, as a range in seconds.
 *
 * <p>With a measured admission rate r (per second) the expected wait is (ahead + 1) / r; the range
 * is that ±20%, the accuracy the rate average reaches once admissions are steady. Before any
 * admission there is no rate to measure, so the range is a bound from the sale's terms: at worst
 * every shopper inside uses the whole window, so a slot frees every window / capacity; at best
 * shoppers buy at once. Before opening, the time to opening is added to both ends.
 */
public record WaitEstimate(long minSeconds, long maxSeconds) {

    public static WaitEstimate of(long ahead, double ratePerSecond, int capacity, long windowMs, long msUntilOpen) {
        long untilOpen = Math.max(0, msUntilOpen) / 1000;
        if (ratePerSecond > 0) {
            double expected = (ahead + 1) / ratePerSecond;
            return rounded(untilOpen + (long) Math.floor(expected * 0.8), untilOpen + (long) Math.ceil(expected * 1.2));
        }
        long rounds = (ahead + capacity) / Math.max(1, capacity);
        return rounded(untilOpen, untilOpen + rounds * (windowMs / 1000));
    }

    /**
     * Widens the range outwards to a step that grows with the wait (1 s under 20 s, 5 s under 2 min,
     * 30 s under 20 min, then 1 min): the range never gets narrower than measured, a shopper is not
     * shown seconds flickering on a half-hour wait, and a socket is pushed only when the shown range moves.
     */
    private static WaitEstimate rounded(long min, long max) {
        long down = step(min);
        long up = step(max);
        return new WaitEstimate(min / down * down, (max + up - 1) / up * up);
    }

    private static long step(long seconds) {
        return seconds < 20 ? 1 : seconds < 120 ? 5 : seconds < 1200 ? 30 : 60;
    }
}
