package io.miaosha.api.arming;

import io.miaosha.api.catalog.SaleRepository;
import io.miaosha.api.purchase.PurchaseConfig;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.sale.RestoreSaleScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rebuilds the hot state of sales Redis lost (armed as recovering by arm_sale.lua) from what is
 * durable: MySQL's orders give the stock, the per-user counts, the holds with their pay-by times and
 * the hold-deadlines, and the idempotency answers. While the pipeline still carries orders (RabbitMQ's
 * order queues are not empty), the rebuild waits, and the sale answers 503 sale-recovering: reading
 * MySQL then would miss those orders and sell their units again. Orders a worker took from the queue
 * but has not written yet are noted in the sale by that worker (adopt_orders.lua), and the rebuild
 * counts them too. Every instance runs it;
 * restore_sale.lua acts only on a sale still recovering, so two instances rebuild it once.
 */
@ApplicationScoped
public class SaleRecovery {

    private final ReactiveRedisDataSource redis;
    private final RestoreSaleScript restore;
    private final SaleRepository sales;
    private final RecoveryOrders orders;
    private final PipelineProbe pipeline;
    private final RecoveryConfig config;
    private final PurchaseConfig purchases;
    private final SaleEvents events;
    /** When this instance first saw the queues empty for a recovering sale (the quiet period starts then). */
    private final Map<Long, Long> emptySince = new ConcurrentHashMap<>();

    public SaleRecovery(ReactiveRedisDataSource redis, SaleRepository sales, RecoveryOrders orders, PipelineProbe pipeline,
            RecoveryConfig config, PurchaseConfig purchases, SaleEvents events) {
        this.redis = redis;
        this.restore = new RestoreSaleScript(redis);
        this.sales = sales;
        this.orders = orders;
        this.pipeline = pipeline;
        this.config = config;
        this.purchases = purchases;
        this.events = events;
    }

    @Scheduled(every = "${miaosha.recovery.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> finishRecoveries() {
        return redis.set(String.class).smembers(SaleKeys.RECOVERING_SALES)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> tryFinish(Long.parseLong(id))
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf("recovery of sale %s failed, trying again: %s", id, failure.getMessage());
                            return false;
                        }))
                .collect().last()
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Marks the sale as one to rebuild (arm_sale.lua has just armed it as recovering), and tries at once. */
    Uni<Boolean> begin(long saleId) {
        Log.warnf("sale %d lost its hot state in Redis: it answers 'recovering' until it is rebuilt from MySQL", saleId);
        return redis.set(String.class).sadd(SaleKeys.RECOVERING_SALES, Long.toString(saleId))
                .chain(() -> tryFinish(saleId));
    }

    /** Rebuilds the sale if its wait is over; answers whether it is no longer recovering. */
    public Uni<Boolean> tryFinish(long saleId) {
        SaleKeys keys = new SaleKeys(saleId);
        return redis.hash(String.class).hget(keys.meta(), "recovering").chain(started -> {
            if (started == null) {
                emptySince.remove(saleId);
                return redis.set(String.class).srem(SaleKeys.RECOVERING_SALES, Long.toString(saleId)).replaceWith(true);
            }
            long now = System.currentTimeMillis();
            if (now - Long.parseLong(started) < config.settle().toMillis()) {
                return Uni.createFrom().item(false);
            }
            long recoveringFor = now - Long.parseLong(started);
            return pipelineQuiet(saleId, now).chain(quiet -> {
                if (quiet) {
                    return rebuild(saleId, recoveringFor);
                }
                if (recoveringFor >= config.maxWait().toMillis()) {
                    Log.warnf("sale %d is rebuilt although the order queues are not empty after %d ms: orders that"
                            + " reach a worker later are adopted from the stock left", saleId, recoveringFor);
                    return rebuild(saleId, recoveringFor);
                }
                return Uni.createFrom().item(false);
            });
        });
    }

    private Uni<Boolean> pipelineQuiet(long saleId, long now) {
        if (!config.waitForPipeline()) {
            return Uni.createFrom().item(true);
        }
        return pipeline.messagesOnTheirWay().map(onTheirWay -> {
            if (onTheirWay > 0) {
                emptySince.remove(saleId);
                Log.debugf("sale %d waits for %d messages on their way to MySQL", saleId, onTheirWay);
                return false;
            }
            long since = emptySince.computeIfAbsent(saleId, id -> now);
            return now - since >= config.quiet().toMillis();
        });
    }

    private Uni<Boolean> rebuild(long saleId, long recoveringForMs) {
        return sales.findOnWriter(saleId)
                .chain(sale -> orders.ofSale(saleId).chain(list -> restore.run(saleId, unitsLeft(sale.stock(), list),
                        purchases.idempotencyTtl().toSeconds(), list)))
                .chain(result -> switch (result) {
                    case RestoreSaleScript.Result.Restored restored -> {
                        Log.infof("sale %d rebuilt from MySQL after %d ms: %d orders, %d adopted late, %d units left",
                                saleId, recoveringForMs, restored.ordersRestored(), restored.lateAdopted(), restored.unitsLeft());
                        if (restored.seatConflicts() > 0) {
                            Log.errorf("OVERSOLD: sale %d: %d seats are claimed by two orders after its rebuild", saleId,
                                    restored.seatConflicts());
                        }
                        yield events.publish(SaleEvent.Type.CHANGED, saleId).replaceWith(true);
                    }
                    case RestoreSaleScript.Result.NotRecovering other -> Uni.createFrom().item(true);
                })
                .call(() -> redis.set(String.class).srem(SaleKeys.RECOVERING_SALES, Long.toString(saleId)))
                .invoke(() -> emptySince.remove(saleId));
    }

    private static long unitsLeft(int total, List<RestoreSaleScript.Order> orders) {
        long committed = orders.stream().filter(o -> o.status() != RestoreSaleScript.HoldStatus.EXPIRED)
                .mapToLong(RestoreSaleScript.Order::quantity).sum();
        return total - committed;
    }
}
