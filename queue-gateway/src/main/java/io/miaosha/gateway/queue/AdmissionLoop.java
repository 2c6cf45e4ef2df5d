package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueAdmitScript;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.queue.QueueLeaseScript;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each queued sale's admission step on exactly one instance: every instance tries the sale's
 * lease each period, the holder renews it and admits (queue_admit.lua); when the holder dies its
 * lease lapses and another instance takes over within one lease time. Admissions are published by
 * the script itself, so every instance tells its own sockets.
 */
@ApplicationScoped
public class AdmissionLoop {

    private final QueueLeaseScript lease;
    private final QueueAdmitScript admit;
    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final QueueConfig config;
    private final String instanceId;
    private final Set<Long> holding = ConcurrentHashMap.newKeySet();
    /** Sales being stepped right now: a slow Redis must not pile up overlapping steps. */
    private final Set<Long> busy = ConcurrentHashMap.newKeySet();
    private volatile List<Long> sales = List.of();
    private long lastSalesReadMs;
    private long timer = -1;

    public AdmissionLoop(ReactiveRedisDataSource redis, Vertx vertx, QueueConfig config) {
        this.lease = new QueueLeaseScript(redis);
        this.admit = new QueueAdmitScript(redis);
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        this.instanceId = config.instanceId().orElseGet(() -> UUID.randomUUID().toString());
    }

    void start(@Observes StartupEvent startup) {
        Log.infof("queue-gateway instance %s", instanceId);
        timer = vertx.setPeriodic(config.admitEvery().toMillis(), id -> tick());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
    }

    public String instanceId() {
        return instanceId;
    }

    private void tick() {
        long now = System.currentTimeMillis();
        if (now - lastSalesReadMs >= 1000) {
            lastSalesReadMs = now;
            redis.set(Long.class).smembers(QueueKeys.QUEUED_SALES)
                    .subscribe().with(members -> sales = List.copyOf(members),
                            failure -> Log.warnf("reading the queued sales failed: %s", failure.getMessage()));
        }
        for (long saleId : sales) {
            if (busy.add(saleId)) {
                step(saleId);
            }
        }
    }

    /** The sale is over and its room empty: no instance needs to tick it any more. */
    private Uni<Void> finished(long saleId) {
        Log.infof("sale %d is over and its queue empty: no more admission steps", saleId);
        holding.remove(saleId);
        return redis.set(Long.class).srem(QueueKeys.QUEUED_SALES, saleId).replaceWithVoid();
    }

    private void step(long saleId) {
        lease.run(saleId, instanceId, config.leaseTime().toMillis())
                .chain(held -> {
                    if (held == QueueLeaseScript.Result.HELD_BY_ANOTHER) {
                        if (holding.remove(saleId)) {
                            Log.infof("lost the admission lease of sale %d", saleId);
                        }
                        return Uni.createFrom().voidItem();
                    }
                    if (holding.add(saleId)) {
                        Log.infof("took the admission lease of sale %d", saleId);
                    }
                    return admit.run(saleId, new QueueAdmitScript.Tick(System.currentTimeMillis(),
                                    config.rateTimeConstant().toMillis(), config.stepLimit(), config.grace().toMillis()))
                            .chain(result -> result.finished() ? finished(saleId) : Uni.createFrom().voidItem());
                })
                .onTermination().invoke(() -> busy.remove(saleId))
                .subscribe().with(ok -> { }, failure -> Log.warnf("admission step of sale %d failed: %s", saleId,
                        failure.getMessage()));
    }
}
