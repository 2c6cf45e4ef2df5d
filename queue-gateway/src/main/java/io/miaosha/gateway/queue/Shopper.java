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
    /**
     * Inbound frames and the close are not serialized behind the open (that per-socket queue cost
     * 1 KB of heap per idle socket), so a leave or a close can arrive while the join is still in
     * Redis. Whichever of the two sides comes second acts; these are guarded by this shopper's lock.
     * {@code counted}: the join counted this socket in Redis (so its close must be counted too).
     */
    private boolean counted;
    private boolean leaveAsked;
    private boolean closedEarly;

    enum AfterJoin { STAY, LEAVE, DISCONNECT }
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

    /** The join is counted in Redis: what the socket asked for meanwhile, if anything. */
    synchronized AfterJoin joined() {
        counted = true;
        return leaveAsked ? AfterJoin.LEAVE : closedEarly ? AfterJoin.DISCONNECT : AfterJoin.STAY;
    }

    /** True once per shopper, when the leave can run now; before the join is counted, the join runs it. */
    synchronized boolean leaveNow() {
        if (leaveAsked) {
            return false;
        }
        leaveAsked = true;
        return counted;
    }

    /** The socket closed: true when its ticket is counted and must start its grace period now. */
    synchronized boolean disconnectNow() {
        closedEarly = true;
        return counted && !leaveAsked;
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
