package io.miaosha.worker.sales;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The ids of the sales armed (or queued) in Redis, for the jobs that look at each of them in turn. */
@ApplicationScoped
public class ArmedSales {

    private final ReactiveRedisDataSource redis;

    public ArmedSales(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Each armed sale's id; a member that is not a sale id (written by hand) is skipped. */
    public Multi<Long> ids() {
        return members(SaleKeys.ARMED_SALES);
    }

    /** Each sale that is armed or in the set the waiting room's admission loops tick, once. */
    public Multi<Long> armedOrQueued() {
        return Multi.createBy().concatenating().streams(members(SaleKeys.ARMED_SALES), members(QueueKeys.QUEUED_SALES))
                .select().distinct();
    }

    private Multi<Long> members(String set) {
        return redis.set(String.class).smembers(set)
                .onItem().transformToMulti(sales -> Multi.createFrom().iterable(sales))
                .map(ArmedSales::saleId)
                .filter(Optional::isPresent).map(Optional::get);
    }

    private static Optional<Long> saleId(String member) {
        try {
            long id = Long.parseLong(member);
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException notAnId) {
            return Optional.empty();
        }
    }
}
