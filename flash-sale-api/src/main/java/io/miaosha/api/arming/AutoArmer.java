package io.miaosha.api.arming;

import io.miaosha.api.draw.DrawConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Arms every sale that opens soon (within the arming horizon, or the draw's entries window when longer), so a sale is never opened cold even when no admin or scheduled
 * function armed it. Every instance runs it; arming is idempotent, so overlapping runs are harmless.
 * It also re-arms live sales whose hot state vanished from Redis.
 */
@ApplicationScoped
public class AutoArmer {

    private final SaleArmer armer;
    private final java.time.Duration horizon;

    public AutoArmer(SaleArmer armer, ArmingConfig config, DrawConfig draw) {
        this.armer = armer;
        // Entries to a sale's draw open this long before the opening, and a join needs the sale armed.
        this.horizon = config.horizon().compareTo(draw.entriesOpenBefore()) < 0 ? draw.entriesOpenBefore() : config.horizon();
    }

    // "delayed", not "delay": a bare delay counts in minutes, which left a restarted instance
    // (and a Redis that lost its state) a whole minute without its live sales armed.
    @Scheduled(every = "${miaosha.arming.check-every:10s}", delayed = "${miaosha.arming.first-check:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> armUpcomingSales() {
        return armer.armLiveAndOpeningWithin(horizon)
                .onFailure().invoke(e -> Log.warn("auto-arming failed; will retry", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
