package io.miaosha.worker.housekeeping;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.retire.RetireSaleScript;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.worker.sales.ArmedSales;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Keeps Redis bounded: an armed sale that closed (in MySQL) more than the grace period ago, whose holds are all
 * paid or released, whose outbox is drained and whose orders are all settled in MySQL, has its hot
 * state deleted and leaves the armed and queued sets. Until all of that holds it stays, and is looked
 * at again next time, so nothing a shopper or the pipeline still needs is ever taken away. Every worker
 * instance runs it; the script decides atomically, so two running at once retire a sale once.
 */
@ApplicationScoped
public class EndedSaleRetirement {

    private final ReactiveRedisDataSource redis;
    private final ArmedSales armedSales;
    private final RetireSaleScript script;
    private final SaleOrderTally tally;
    private final RetirementConfig config;

    public EndedSaleRetirement(ReactiveRedisDataSource redis, ArmedSales armedSales, SaleOrderTally tally,
            RetirementConfig config) {
        this.redis = redis;
        this.armedSales = armedSales;
        this.script = new RetireSaleScript(redis);
        this.tally = tally;
        this.config = config;
    }

    @Scheduled(every = "${miaosha.retire.every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> retireOnSchedule() {
        return retireEnded(System.currentTimeMillis()).onFailure().recoverWithItem(failure -> {
            Log.warnf("retiring ended sales failed, trying again next time: %s", failure.toString());
            return List.of();
        }).replaceWithVoid();
    }

    /**
     * Retires every armed or queued sale that may be retired at {@code nowMs}; answers the ids retired.
     * Queued ones too: a sale whose hot state was lost may still be in the set the admission loops tick.
     */
    public Uni<List<Long>> retireEnded(long nowMs) {
        return armedSales.armedOrQueued()
                .onItem().transformToUniAndConcatenate(saleId -> retire(saleId, nowMs))
                .filter(Optional::isPresent).map(Optional::get)
                .collect().asList();
    }

    private Uni<Optional<Long>> retire(long saleId, long nowMs) {
        long graceMs = config.grace().toMillis();
        return tally.of(saleId)
                .chain(mysql -> nowMs < mysql.closesAtMs() + graceMs
                        // MySQL decides whether a sale is over: Redis may have lost its hot state.
                        ? Uni.createFrom().<RetireSaleScript.Result>item(new RetireSaleScript.Result.NotClosedLongEnough(mysql.closesAtMs()))
                        : script.run(saleId, nowMs, graceMs, mysql.orders()))
                .chain(result -> switch (result) {
                    case RetireSaleScript.Result.Retired retired -> forget(saleId)
                            .invoke(() -> Log.infof("sale %d retired from Redis (%d units never sold)", saleId, retired.unitsLeft()))
                            .replaceWith(Optional.of(saleId));
                    case RetireSaleScript.Result.NothingToRetire nothing -> forget(saleId).replaceWith(Optional.of(saleId));
                    default -> {
                        Log.debugf("sale %d stays in Redis: %s", saleId, result);
                        yield Uni.createFrom().item(Optional.<Long>empty());
                    }
                });
    }

    /** The global sets live in other cluster slots than the sale, so they are left after the script. */
    private Uni<Void> forget(long saleId) {
        String member = Long.toString(saleId);
        return redis.set(String.class).srem(QueueKeys.QUEUED_SALES, member)
                .chain(() -> redis.set(String.class).srem(SaleKeys.ARMED_SALES, member))
                .replaceWithVoid();
    }
}
