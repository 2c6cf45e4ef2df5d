package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueStatus;

/**
 * A waiting shopper's honest chance of getting a unit, never a promise: the units that may still
 * reach it (units left, plus one per unpaid hold that may expire, the least a hold returns) against
 * what the shoppers ahead of it may take (each at least one, at most the per-shopper limit). Those
 * inside, shopping now, are ahead of everyone waiting.
 */
enum Chance {
    /** Even if everyone ahead buys the most allowed, units remain for this place. */
    LIKELY("likely"),
    /** Enough if those ahead buy one each; not if they buy the most allowed. */
    POSSIBLE("possible"),
    /** More shoppers ahead than units that may still come free. */
    UNLIKELY("unlikely"),
    /** Nothing left and nothing that can come back. */
    NONE("none");

    final String word;

    Chance(String word) {
        this.word = word;
    }

    static Chance of(long waitingAhead, QueueStatus status) {
        long ahead = waitingAhead + Math.max(0, status.inside());
        long left = Math.max(0, status.unitsLeft());
        long mayComeBack = left + Math.max(0, status.unpaidHolds());
        long limit = Math.max(1, status.perUserLimit());
        if (mayComeBack == 0) {
            return NONE;
        }
        if (ahead * limit < left) {
            return LIKELY;
        }
        return ahead < mayComeBack ? POSSIBLE : UNLIKELY;
    }
}
