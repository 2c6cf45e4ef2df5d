package io.miaosha.gateway.queue;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open socket of one shopper on this instance, with what this instance knows of its place. Kept
 * small on purpose (a few longs): an idle connection must cost well under 6 KB of heap in total.
 * Fields are written by the pusher tick and read by event handlers; a stale read only delays a push.
 */
final class Shopper {

    static final UserData.TypedKey<Shopper> KEY = new UserData.TypedKey<>("miaosha.shopper");

    final long saleId;
    final long userId;
    final WebSocketConnection connection;
    /** Another socket of the same user on this instance (a second tab), or null. */
    Shopper next;

    volatile boolean inside;
    volatile boolean done;
    /** The join counted this socket in Redis (so its close must be counted too). */
    volatile boolean counted;
    volatile boolean left;
    /**
     * Exact place at the last read, the admissions and reorders counts at that read, and the earliest
     * time to read it again. While reorders has not moved, the place is exact without a read.
     */
    long ahead;
    long servedAtRead;
    long reordersAtRead = -1;
    long readAgainAtMs;
    /** What was pushed last, so that only a change is pushed. */
    long sentAhead = -1;
    long sentLength = -1;
    long sentMin = -1;
    long sentMax = -1;
    long sentAtMs;

    Shopper(long saleId, long userId, WebSocketConnection connection) {
        this.saleId = saleId;
        this.userId = userId;
        this.connection = connection;
    }

    /** The estimated place now: every admission since the exact read took someone ahead of this shopper. */
    long aheadNow(long served) {
        // The shared state read may be older than the exact read (a join lands between two ticks).
        return Math.max(0, ahead - Math.max(0, served - servedAtRead));
    }

    void send(Object message) {
        if (connection.isOpen()) {
            connection.sendText(message).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** Sends a last message and closes: the shopper is done with this room. */
    void finish(Object message) {
        done = true;
        if (connection.isOpen()) {
            connection.sendText(message).onTermination().call(() -> connection.close(CloseReason.NORMAL))
                    .subscribe().with(ok -> { }, failure -> { });
        }
    }
}
