package io.miaosha.api.arming;

import io.miaosha.api.catalog.SaleRepository;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Arms every sale that opens soon, so a sale is never opened cold even when no admin or scheduled
 * function armed it. Every instance runs it; arming is idempotent, so overlapping runs are harmless.
 * It also re-arms live sales whose hot state vanished from Redis.
 */
@ApplicationScoped
public class AutoArmer {

    private final SaleRepository sales;
    private final SaleArmer armer;
    private final ArmingConfig config;

    public AutoArmer(SaleRepository sales, SaleArmer armer, ArmingConfig config) {
        this.sales = sales;
        this.armer = armer;
        this.config = config;
    }

    @Scheduled(every = "${miaosha.arming.check-every:10s}", delay = 1, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> armUpcomingSales() {
        Instant now = Instant.now();
        return sales.listToArm(now, now.plus(config.horizon()))
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(armer::arm)
                .collect().last()
                .onFailure().invoke(e -> Log.warn("auto-arming failed; will retry", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
