package io.miaosha.api.catalog;

import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads a sale's live figures from Redis, where the purchase script keeps them. */
@ApplicationScoped
public class SaleHotState {

    private final ReactiveValueCommands<String, Long> counters;

    public SaleHotState(ReactiveRedisDataSource redis) {
        this.counters = redis.value(Long.class);
    }

    /** Units left; the recorded stock when the sale is not armed yet (nothing sold). */
    public Uni<Long> unitsLeft(Sale sale) {
        return counters.get(new SaleKeys(sale.id()).stock())
                .map(left -> left == null ? (long) sale.stock() : left);
    }
}
