package io.miaosha.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The inbound frame limit of every socket: a token bucket of {@code frame-burst} frames refilled at
 * {@code frames-per-second}, kept as one long per socket (GCRA: the time up to which the frames so
 * far are paid for) rather than a bucket object, because idle sockets are what the gateway holds by
 * the hundred thousand. Each socket's frames arrive on its own event loop, so no lock is needed.
 */
@ApplicationScoped
public class FrameAllowance {

    private final long intervalMs;
    private final long toleranceMs;

    @Inject
    public FrameAllowance(QueueConfig config) {
        this(config.framesPerSecond(), config.frameBurst());
    }

    FrameAllowance(int framesPerSecond, int burst) {
        this.intervalMs = Math.max(1, 1000 / Math.max(1, framesPerSecond));
        this.toleranceMs = intervalMs * Math.max(0, burst - 1);
    }

    /** Whether this frame is within the socket's allowance; pays for it when it is. */
    boolean allow(Shopper shopper, long nowMs) {
        return shopper.payForFrame(nowMs, intervalMs, toleranceMs);
    }
}
