package io.miaosha.api.admin;

import io.miaosha.api.catalog.SaleRepository;
import io.miaosha.api.problem.Problems;
import io.miaosha.common.queue.QueueStatusScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads a sale's waiting room from Redis (queue_status.lua): one round trip, whatever its length. */
@ApplicationScoped
public class AdminQueueService {

    private final QueueStatusScript queueStatus;
    private final SaleRepository sales;

    public AdminQueueService(ReactiveRedisDataSource redis, SaleRepository sales) {
        this.queueStatus = new QueueStatusScript(redis);
        this.sales = sales;
    }

    public Uni<QueueView> view(long saleId) {
        return queueStatus.run(saleId)
                .chain(status -> status != null
                        ? Uni.createFrom().item(new QueueView(saleId, status.waiting(), status.inside(), status.capacity(),
                                status.admittedPerMinute(), status.oldestWaitSeconds(System.currentTimeMillis())))
                        // Not armed yet: nobody can be queued; the capacity comes from the record.
                        : sales.findOnWriter(saleId)
                                .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", saleId))
                                .map(sale -> new QueueView(saleId, 0, 0, sale.queueCapacity(), 0, 0)));
    }
}
