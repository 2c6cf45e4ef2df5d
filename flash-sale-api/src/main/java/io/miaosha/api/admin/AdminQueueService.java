package io.miaosha.api.admin;

import io.miaosha.api.catalog.SaleRepository;
import io.miaosha.api.problem.Problems;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.queue.QueueStatus;
import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads a sale's waiting room from Redis (queue_status.lua): one round trip, whatever its length. */
@ApplicationScoped
public class AdminQueueService {

    private static final LuaScript STATUS = LuaScript.fromClasspath("queue_status.lua");

    private final ReactiveRedisDataSource redis;
    private final SaleRepository sales;

    public AdminQueueService(ReactiveRedisDataSource redis, SaleRepository sales) {
        this.redis = redis;
        this.sales = sales;
    }

    public Uni<QueueView> view(long saleId) {
        return STATUS.call(redis, new QueueKeys(saleId).statusKeys(), List.of())
                .map(QueueStatus::of)
                .chain(status -> status != null
                        ? Uni.createFrom().item(new QueueView(saleId, status.waiting(), status.inside(), status.capacity(),
                                status.admittedPerMinute(), status.oldestWaitSeconds(System.currentTimeMillis())))
                        // Not armed yet: nobody can be queued; the capacity comes from the record.
                        : sales.findOnWriter(saleId)
                                .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", saleId))
                                .map(sale -> new QueueView(saleId, 0, 0, sale.queueCapacity(), 0, 0)));
    }
}
