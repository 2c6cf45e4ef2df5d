package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueRankScript;
import io.miaosha.common.queue.QueueStatus;
import io.miaosha.gateway.socket.SocketClose;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;

/**
 * One open socket of one shopper on this instance, and the one owner of what this instance knows of
 * its place: every change goes through a transition here ({@link #joined}, {@link #counted},
 * {@link #ranked}, {@link #admitted}, {@link #windowOver}, {@link #sentPosition}, the leave and close
 * steps). Made when the socket opens, before its join is checked, and the only object the socket's
 * handlers hold. Kept small on purpose (a few longs): an idle connection must cost well under 6 KB of
 * heap in total. The place is written by the pusher tick and the socket's own events, read by both; a
 * stale read only delays a push.
 */
final class Shopper {

    final long saleId;
    final long userId;
    /** The session says the email is confirmed: a verified-only sale's join asks (queue_join.lua). */
    final boolean emailVerified;
    private final ServerWebSocket socket;

    /** The join started (its proof-of-work is paid for): from then on its frames count (ClientFrames). */
    private volatile boolean joining;
    private volatile boolean inside;
    private volatile boolean done;
    /**
     * Inbound frames and the close are not serialized behind the open (that per-socket queue cost
     * 1 KB of heap per idle socket), so a leave or a close can arrive while the join is still in
     * Redis. Whichever of the two sides comes second acts; these are guarded by this shopper's lock.
     * {@code counted}: the join counted this socket in Redis (so its close must be counted too); until
     * then the socket is in its room only to count against the user's socket limit, and is told nothing.
     */
    private volatile boolean counted;
    private boolean leaveAsked;
    private boolean closedEarly;
    private Messages.Admitted admittedEarly;

    enum AfterJoin { STAY, LEAVE, DISCONNECT }

    /**
     * Exact place at the last read, the admissions and reorders counts at that read, and the earliest
     * time to read it again. While reorders has not moved, the place is exact without a read.
     */
    private long ahead;
    private long servedAtRead;
    private long reordersAtRead = -1;
    private long readAgainAtMs;
    /** What was pushed last and when, so that only a change is pushed. */
    private Messages.Position sentPosition;
    private long sentAtMs;
    /**
     * Inbound frame allowance (FrameAllowance): the time (ms) up to which the frames received so
     * far are paid for. One long instead of a bucket object; touched only on this socket's event loop.
     */
    private long framesPaidUntilMs;

    Shopper(long saleId, long userId, ServerWebSocket socket) {
        this(saleId, userId, false, socket);
    }

    Shopper(long saleId, long userId, boolean emailVerified, ServerWebSocket socket) {
        this.saleId = saleId;
        this.userId = userId;
        this.emailVerified = emailVerified;
        this.socket = socket;
    }

    /** The waiting room takes the socket in (WaitingRoom.open). */
    void startJoin() {
        joining = true;
    }

    /** Whether the join started; before, the socket's proof-of-work is still being checked. */
    boolean isJoining() {
        return joining;
    }

    /** Whether the socket is still open (not closed by either side). */
    boolean isOpen() {
        return socket != null && !socket.isClosed();
    }

    /** The socket, for the instance-wide ping walk (SocketPings). */
    ServerWebSocket socket() {
        return socket;
    }

    /**
     * The join script's answer, recorded before the socket is {@link #counted}: a waiting place (read
     * again from {@code readAgainAtMs} on), or the slot inside of an earlier admission.
     */
    void joined(QueueJoinScript.Result joined, long readAgainAtMs) {
        switch (joined) {
            case QueueJoinScript.Result.Waiting waiting -> {
                ahead = waiting.ahead();
                servedAtRead = waiting.served();
                reordersAtRead = waiting.reorders();
                this.readAgainAtMs = readAgainAtMs;
            }
            case QueueJoinScript.Result.Inside admitted -> inside = true;
            case QueueJoinScript.Result.Refused refused -> throw new IllegalArgumentException("a refused join has no place");
            case QueueJoinScript.Result.LimitReached limit -> throw new IllegalArgumentException("a refused join has no place");
            case QueueJoinScript.Result.TooEarly early -> throw new IllegalArgumentException("a refused join has no place");
        }
    }

    /** The join is counted in Redis: what the socket asked for meanwhile, if anything. */
    synchronized AfterJoin counted() {
        counted = true;
        if (leaveAsked) {
            done = true;
            return AfterJoin.LEAVE;
        }
        return closedEarly ? AfterJoin.DISCONNECT : AfterJoin.STAY;
    }

    /**
     * An admission published while this socket's join was still on its way (not counted yet): kept
     * until the join is counted and told then. False when the join is counted: tell it now.
     */
    synchronized boolean offerEarlyAdmission(Messages.Admitted message) {
        if (counted) {
            return false;
        }
        admittedEarly = message;
        return true;
    }

    /** The admission that came before the join was counted, once; null when none came. */
    synchronized Messages.Admitted takeEarlyAdmission() {
        Messages.Admitted early = admittedEarly;
        admittedEarly = null;
        return early;
    }

    /** Whether the join is counted in Redis, so that this socket is told its room's news. */
    boolean isCounted() {
        return counted;
    }

    /** Done: the socket is closing (a leave, a refusal, the end of its window or sale). */
    boolean isDone() {
        return done;
    }

    /** Still waiting for a place inside (not admitted, not closing). */
    boolean isWaiting() {
        return !inside && !done;
    }

    /** True once per shopper, when the leave can run now; before the join is counted, the join runs it. */
    synchronized boolean leaveNow() {
        if (leaveAsked) {
            return false;
        }
        leaveAsked = true;
        if (counted) {
            done = true;
        }
        return counted;
    }

    /** The socket closed: true when its ticket is counted and must start its grace period now. */
    synchronized boolean disconnectNow() {
        closedEarly = true;
        return counted && !leaveAsked;
    }

    /**
     * Whether the place must be read again before the next push: something other than an admission
     * moved places since the last read ({@code reorders} moved) and the read is due. Taking the read
     * spaces the next one a refresh period later.
     */
    boolean rankDue(long reorders, long nowMs, long refreshMs) {
        if (reordersAtRead == reorders || nowMs < readAgainAtMs) {
            return false;
        }
        readAgainAtMs = nowMs + refreshMs;
        return true;
    }

    /** An exact read of the place (queue_rank.lua). */
    void ranked(QueueRankScript.Result.Ranked rank) {
        ahead = rank.ahead();
        servedAtRead = rank.served();
        reordersAtRead = rank.reorders();
    }

    /** Admitted: from now on no position; the message carries the token. */
    void admitted(Messages.Admitted message) {
        inside = true;
        send(message);
    }

    /** The shopping window ended: a shopper still inside is told and the socket closes. */
    void windowOver() {
        if (inside) {
            inside = false;
            finish(new Messages.Closed("window_expired"));
        }
    }

    /**
     * The position to show now, null when there is none (inside, closing, no shared state): every
     * admission since the exact read took someone ahead of this shopper.
     */
    Messages.Position nextPosition(QueueStatus status, long nowMs) {
        if (status == null || !isWaiting()) {
            return null;
        }
        // The shared state read may be older than the exact read (a join lands between two ticks).
        long aheadNow = Math.max(0, ahead - Math.max(0, status.served() - servedAtRead));
        long length = Math.max(status.waiting(), aheadNow + 1);
        WaitEstimate wait = WaitEstimate.of(aheadNow, status, nowMs);
        return new Messages.Position(aheadNow, length, wait, status.admittedPerMinute(), Chance.of(aheadNow, status));
    }

    /** The position pushed last, null before the first. */
    Messages.Position sentPosition() {
        return sentPosition;
    }

    /** When the last position was pushed (0 before the first). */
    long sentAtMs() {
        return sentAtMs;
    }

    /** Pushes this position and remembers it. */
    void sentPosition(Messages.Position position, long nowMs) {
        sentPosition = position;
        sentAtMs = nowMs;
        send(position);
    }

    /** Pays for one inbound frame when it is within the allowance (GCRA, see FrameAllowance). */
    boolean payForFrame(long nowMs, long intervalMs, long toleranceMs) {
        long paidUntil = Math.max(framesPaidUntilMs, nowMs);
        if (paidUntil - nowMs > toleranceMs) {
            return false;
        }
        framesPaidUntilMs = paidUntil + intervalMs;
        return true;
    }

    void send(Object message) {
        if (isOpen()) {
            socket.writeTextMessage(Json.encode(message));
        }
    }

    /** Sends a frame already encoded (one shared by every socket of a room). */
    void sendFrame(String frame) {
        if (isOpen()) {
            socket.writeTextMessage(frame);
        }
    }

    /** Sends a last message and closes: the shopper is done with this room. */
    void finish(Object message) {
        finish(message, SocketClose.NORMAL);
    }

    /** Sends the refusal's error frame, then closes with its code: the page shows the message. */
    void refuse(Refusal refusal, Object... details) {
        finish(refusal.error(details), refusal.close);
    }

    private void finish(Object message, SocketClose close) {
        done = true;
        if (isOpen()) {
            close.closeAfter(socket, Json.encode(message));
        }
    }
}
