package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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

    private final QueueScripts scripts;
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

    public AdmissionLoop(QueueScripts scripts, ReactiveRedisDataSource redis, Vertx vertx, QueueConfig config) {
        this.scripts = scripts;
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

    public boolean holdsLease(long saleId) {
        return holding.contains(saleId);
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
    private io.smallrye.mutiny.Uni<Void> finished(long saleId) {
        Log.infof("sale %d is over and its queue empty: no more admission steps", saleId);
        holding.remove(saleId);
        return redis.set(Long.class).srem(QueueKeys.QUEUED_SALES, saleId).replaceWithVoid();
    }

    private void step(long saleId) {
        scripts.lease(saleId, instanceId, config.leaseTime().toMillis())
                .chain(held -> {
                    if (!held) {
                        if (holding.remove(saleId)) {
                            Log.infof("lost the admission lease of sale %d", saleId);
                        }
                        return io.smallrye.mutiny.Uni.createFrom().voidItem();
                    }
                    if (holding.add(saleId)) {
                        Log.infof("took the admission lease of sale %d", saleId);
                    }
                    return scripts.admit(saleId, System.currentTimeMillis(), config.rateTimeConstant().toMillis(),
                            config.stepLimit(), config.grace().toMillis())
                            .chain(result -> result.size() > 3 && result.get(3).toInteger() == 1 ? finished(saleId)
                                    : io.smallrye.mutiny.Uni.createFrom().voidItem());
                })
                .onTermination().invoke(() -> busy.remove(saleId))
                .subscribe().with(ok -> { }, failure -> Log.warnf("admission step of sale %d failed: %s", saleId,
                        failure.getMessage()));
    }
}
