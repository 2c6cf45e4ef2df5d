package io.miaosha.api.arming;

import io.miaosha.api.catalog.Sale;
import io.miaosha.api.catalog.SaleRepository;
import io.miaosha.api.problem.Problems;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleEvent;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Loads a sale's hot state into Redis (arm_sale.lua). Arming is idempotent: the stock is set once,
 * later calls only refresh the terms, so admins, the auto-armer and a purchase that finds the sale
 * unarmed may all call it at once.
 */
@ApplicationScoped
public class SaleArmer {

    private static final LuaScript ARM = LuaScript.fromClasspath("arm_sale.lua");
    private static final LuaScript ADJUST_STOCK = LuaScript.fromClasspath("adjust_stock.lua");

    private final ReactiveRedisDataSource redis;
    private final SaleRepository sales;
    private final SaleEvents events;

    public SaleArmer(ReactiveRedisDataSource redis, SaleRepository sales, SaleEvents events) {
        this.redis = redis;
        this.sales = sales;
        this.events = events;
    }

    public Uni<Boolean> arm(Sale sale) {
        SaleKeys keys = new SaleKeys(sale.id());
        return sales.unitsCommitted(sale.id())
                .chain(committed -> ARM.call(redis, keys.armKeys(), List.of(
                        Long.toString(sale.opensAt().toEpochMilli()),
                        Long.toString(sale.closesAt().toEpochMilli()),
                        sale.cancelled() ? "cancelled" : "scheduled",
                        Integer.toString(sale.perUserLimit()),
                        Long.toString(sale.holdSeconds() * 1000L),
                        Long.toString(sale.priceMinor()),
                        sale.currency(),
                        Integer.toString(sale.stock()),
                        Long.toString(Math.max(0, sale.stock() - committed)),
                        sale.queueEnabled() ? "1" : "0",
                        Integer.toString(sale.queueCapacity()),
                        Long.toString(sale.windowSeconds() * 1000L))))
                .map(response -> response.toInteger() == 1)
                .call(() -> redis.set(String.class).sadd(SaleKeys.ARMED_SALES, Long.toString(sale.id())))
                .call(() -> sales.markArmed(sale.id(), Instant.now()))
                .call(() -> events.publish(SaleEvent.Type.CHANGED, sale.id()))
                .invoke(first -> {
                    if (first) {
                        Log.infof("armed sale %d with %d units", sale.id(), sale.stock());
                    }
                });
    }

    /**
     * Arms every sale that is live or opens within {@code lookahead} and is not cancelled, one after
     * the other (a burst of parallel Lua calls would compete with purchases); answers those sales.
     */
    public Uni<List<Sale>> armLiveAndOpeningWithin(Duration lookahead) {
        return liveAndOpeningWithin(lookahead)
                .call(list -> Multi.createFrom().iterable(list)
                        .onItem().transformToUniAndConcatenate(this::arm)
                        .collect().last());
    }

    /** The sales {@link #armLiveAndOpeningWithin} would arm, without arming them. */
    public Uni<List<Sale>> liveAndOpeningWithin(Duration lookahead) {
        Instant now = Instant.now();
        return sales.listToArm(now, now.plus(lookahead));
    }

    /** Arms the sale with this id if it exists; fails with 404 otherwise. */
    public Uni<Sale> armById(long saleId) {
        return sales.findOnWriter(saleId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", saleId))
                .call(this::arm);
    }

    /** Changes the total stock of an armed sale; refuses to cut below units already held or paid. */
    public Uni<Boolean> adjustStock(long saleId, int newTotal) {
        SaleKeys keys = new SaleKeys(saleId);
        return ADJUST_STOCK.call(redis, List.of(keys.meta(), keys.stock()), List.of(Integer.toString(newTotal)))
                .map(response -> switch (response.get(0).toInteger()) {
                    case 1 -> true;
                    case -1 -> false;
                    default -> throw new Problems.SaleChangeRejected("Stock cannot go below the "
                            + response.get(1).toLong() + " unit(s) already held or sold.");
                })
                .call(armed -> armed ? events.publish(SaleEvent.Type.STOCK_RETURNED, saleId) : Uni.createFrom().voidItem());
    }
}
