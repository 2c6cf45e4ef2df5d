package io.miaosha.api.arming;

import io.miaosha.api.draw.DrawConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Arms every sale that opens within the arming horizon, and every queued sale whose draw entries open
 * (the draw's entries window, when longer), so a sale is never opened cold even when no admin or
 * scheduled function armed it. Every instance runs it; arming is idempotent, so overlapping runs are
 * harmless. It also re-arms live sales whose hot state vanished from Redis.
 */
@ApplicationScoped
public class AutoArmer {

    private final SaleArmer armer;
    private final Duration horizon;
    private final Duration drawHorizon;

    public AutoArmer(SaleArmer armer, ArmingConfig config, DrawConfig draw) {
        this.armer = armer;
        this.horizon = config.horizon();
        // Entries to a queued sale's draw open this long before the opening, and a join needs the sale armed.
        this.drawHorizon = config.horizon().compareTo(draw.entriesOpenBefore()) < 0 ? draw.entriesOpenBefore() : config.horizon();
    }

    // "delayed", not "delay": a bare delay counts in minutes, which left a restarted instance
    // (and a Redis that lost its state) a whole minute without its live sales armed.
    @Scheduled(every = "${miaosha.arming.check-every:10s}", delayed = "${miaosha.arming.first-check:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> armUpcomingSales() {
        Instant within = Instant.now().plus(horizon);
        return armer.armLiveAndOpeningWithin(drawHorizon, sale -> sale.queueEnabled() || !sale.opensAt().isAfter(within))
                .onFailure().invoke(e -> Log.warn("auto-arming failed; will retry", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
