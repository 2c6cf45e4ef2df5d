package io.miaosha.api.arming;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Arms every sale that opens soon, so a sale is never opened cold even when no admin or scheduled
 * function armed it. Every instance runs it; arming is idempotent, so overlapping runs are harmless.
 * It also re-arms live sales whose hot state vanished from Redis.
 */
@ApplicationScoped
public class AutoArmer {

    private final SaleArmer armer;
    private final ArmingConfig config;

    public AutoArmer(SaleArmer armer, ArmingConfig config) {
        this.armer = armer;
        this.config = config;
    }

    // "delayed", not "delay": a bare delay counts in minutes, which left a restarted instance
    // (and a Redis that lost its state) a whole minute without its live sales armed.
    @Scheduled(every = "${miaosha.arming.check-every:10s}", delayed = "${miaosha.arming.first-check:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> armUpcomingSales() {
        return armer.armLiveAndOpeningWithin(config.horizon())
                .onFailure().invoke(e -> Log.warn("auto-arming failed; will retry", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
