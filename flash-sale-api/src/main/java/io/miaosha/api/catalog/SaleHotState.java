package io.miaosha.api.catalog;

import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Reads a sale's live figures from Redis, where the purchase script keeps them. */
@ApplicationScoped
public class SaleHotState {

    private final ReactiveValueCommands<String, Long> counters;
    private final SettledUnits settled;

    public SaleHotState(ReactiveRedisDataSource redis, SettledUnits settled) {
        this.counters = redis.value(Long.class);
        this.settled = settled;
    }

    /**
     * Units left. Without hot state in Redis: the recorded stock before opening (nothing sold yet),
     * and after it what MySQL has not committed, for a sale that ended and left Redis (the worker
     * retires ended sales) or one whose hot state was lost and is not armed again yet.
     */
    public Uni<Long> unitsLeft(Sale sale) {
        return counters.get(new SaleKeys(sale.id()).stock()).chain(left -> {
            if (left != null) {
                return Uni.createFrom().item(left);
            }
            return Instant.now().isBefore(sale.opensAt()) ? Uni.createFrom().item((long) sale.stock()) : settled.unitsLeft(sale);
        });
    }
}
