package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** The server-to-client messages of the waiting room (README "Messages"); each carries its type. */
public final class Messages {

    private Messages() {
    }

    /**
     * The sale's state as the protocol names it; "upcoming" with nothing else while the sale is not armed.
     * Also the live feed's frame (gateway.live), so a page reads both sockets alike.
     */
    public static Sale sale(QueueStatus status, long nowMs) {
        if (status == null) {
            return new Sale("upcoming", 0, null, null, null, null);
        }
        String state = status.saleState(nowMs);
        boolean paused = state.equals("paused");
        return new Sale(state, status.unitsLeft(), Instant.ofEpochMilli(status.opensAtMs()).toString(),
                Instant.ofEpochMilli(status.closesAtMs()).toString(), paused ? status.unpaidHolds() : null,
                paused && status.nextPayByMs() > 0 ? Instant.ofEpochMilli(status.nextPayByMs()).toString() : null);
    }

    /** The shopper's entry in the pre-opening draw: what it needs to check the draw once the seed is revealed. */
    static Draw draw(QueueJoinScript.Entrant entrant) {
        return new Draw(entrant.ticketId(), entrant.commitment(), Instant.ofEpochMilli(entrant.revealAtMs()).toString());
    }

    static Admitted admitted(String token, long windowEndMs) {
        return new Admitted(token, Instant.ofEpochMilli(windowEndMs).toString());
    }

    @RegisterForReflection
    public record Wait(long min, long max) {
    }

    @RegisterForReflection
    public record Position(String type, long ahead, long queueLength, Wait waitSeconds, double admittedPerMinute,
            String chance) {
        public Position(long ahead, long queueLength, WaitEstimate wait, double admittedPerMinute, Chance chance) {
            this("position", ahead, queueLength, new Wait(wait.minSeconds(), wait.maxSeconds()),
                    Math.round(admittedPerMinute * 10) / 10.0, chance.word);
        }
    }

    @RegisterForReflection
    public record Admitted(String type, String token, String windowEndsAt) {
        public Admitted(String token, String windowEndsAt) {
            this("admitted", token, windowEndsAt);
        }
    }

    @RegisterForReflection
    public record Draw(String type, String ticketId, String commitment, String revealAt) {
        public Draw(String ticketId, String commitment, String revealAt) {
            this("draw", ticketId, commitment, revealAt);
        }
    }

    /**
     * {@code unpaidHolds} and {@code nextHoldEndsAt} only while paused: how many holds may still return
     * units, and when the first of them runs out.
     */
    @RegisterForReflection
    public record Sale(String type, String state, long unitsLeft, String opensAt, String closesAt, Long unpaidHolds,
            String nextHoldEndsAt) {
        public Sale(String state, long unitsLeft, String opensAt, String closesAt, Long unpaidHolds, String nextHoldEndsAt) {
            this("sale", state, unitsLeft, opensAt, closesAt, unpaidHolds, nextHoldEndsAt);
        }
    }

    @RegisterForReflection
    public record Order(String type, String orderId, String status) {
        public Order(String orderId, String status) {
            this("order", orderId, status);
        }
    }

    @RegisterForReflection
    public record Closed(String type, String reason) {
        public Closed(String reason) {
            this("closed", reason);
        }
    }

    @RegisterForReflection
    public record Error(String type, String reason, String message) {
        public Error(String reason, String message) {
            this("error", reason, message);
        }
    }
}
