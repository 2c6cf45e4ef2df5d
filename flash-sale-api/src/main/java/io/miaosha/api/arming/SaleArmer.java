package io.miaosha.api.arming;

import io.miaosha.api.catalog.Sale;
import io.miaosha.api.catalog.SaleRepository;
import io.miaosha.api.draw.DrawConfig;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.seating.SeatArming;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.AdjustStockScript;
import io.miaosha.common.sale.ArmSaleScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Loads a sale's hot state into Redis (arm_sale.lua). Arming is idempotent: the stock is set once,
 * later calls only refresh the terms, so admins, the auto-armer and a purchase that finds the sale
 * unarmed may all call it at once; terms read before a change that is already armed are refused
 * (versioned by the row's {@code updated_at}). A sale MySQL records as armed before but Redis does not know lost
 * its hot state: it is armed as recovering and {@link SaleRecovery} rebuilds it.
 */
@ApplicationScoped
public class SaleArmer {

    private final ArmSaleScript arm;
    private final AdjustStockScript adjustStock;
    private final ReactiveRedisDataSource redis;
    private final SaleRepository sales;
    private final SaleEvents events;
    private final SaleRecovery recovery;
    private final DrawConfig draw;
    private final SeatArming seats;

    public SaleArmer(ReactiveRedisDataSource redis, SaleRepository sales, SaleEvents events, SaleRecovery recovery,
            DrawConfig draw, SeatArming seats) {
        this.draw = draw;
        this.seats = seats;
        this.arm = new ArmSaleScript(redis);
        this.adjustStock = new AdjustStockScript(redis);
        this.redis = redis;
        this.sales = sales;
        this.events = events;
        this.recovery = recovery;
    }

    public Uni<Boolean> arm(Sale sale) {
        // A seated sale's seats first: its meta must never exist without them (see arm_seats.lua).
        return seats.load(sale.id())
                .chain(() -> sales.unitsCommitted(sale.id()))
                .chain(committed -> arm.run(sale.id(), new ArmSaleScript.Terms(
                        sale.opensAt().toEpochMilli(),
                        sale.closesAt().toEpochMilli(),
                        sale.cancelled(),
                        sale.perUserLimit(),
                        sale.holdSeconds() * 1000L,
                        sale.priceMinor(),
                        sale.currency(),
                        sale.stock(),
                        Math.max(0, sale.stock() - committed),
                        sale.queueEnabled(),
                        sale.queueCapacity(),
                        sale.windowSeconds() * 1000L,
                        sale.armedAt() != null,
                        sale.queueEnabled() ? draw.entriesOpenAt(sale.opensAt()).toEpochMilli() : 0,
                        sale.updatedAt() == null ? 0 : sale.updatedAt().toEpochMilli(),
                        sale.verifiedEmailOnly())))
                .call(result -> result == ArmSaleScript.Result.RECOVERING ? recovery.begin(sale.id()) : Uni.createFrom().item(true))
                .map(result -> result == ArmSaleScript.Result.ARMED || result == ArmSaleScript.Result.RECOVERING)
                .call(() -> redis.set(String.class).sadd(SaleKeys.ARMED_SALES, Long.toString(sale.id())))
                // Arming repairs the set the admission loops tick, which lives on another shard than the
                // sale and may have lost it (a gateway drops a sale it found over, a node lost its data).
                .call(() -> sale.queueEnabled()
                        ? redis.set(String.class).sadd(QueueKeys.QUEUED_SALES, Long.toString(sale.id()))
                        : Uni.createFrom().item(0))
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
        return armLiveAndOpeningWithin(lookahead, sale -> true);
    }

    /** As {@link #armLiveAndOpeningWithin(Duration)}, only the sales {@code which} accepts. */
    public Uni<List<Sale>> armLiveAndOpeningWithin(Duration lookahead, Predicate<Sale> which) {
        return liveAndOpeningWithin(lookahead)
                .map(list -> list.stream().filter(which).toList())
                .call(list -> Multi.createFrom().iterable(list)
                        .onItem().transformToUniAndConcatenate(this::armIsolated)
                        .collect().last());
    }

    /** One sale that cannot be armed must not keep the others from being armed; it is retried next time. */
    private Uni<Boolean> armIsolated(Sale sale) {
        return arm(sale).onFailure().recoverWithItem(failure -> {
            Log.warnf("could not arm sale %d: %s", sale.id(), failure.getMessage());
            return false;
        });
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
        return adjustStock.run(saleId, newTotal)
                .map(result -> switch (result) {
                    case AdjustStockScript.Result.Adjusted adjusted -> true;
                    case AdjustStockScript.Result.NotArmed notArmed -> false;
                    case AdjustStockScript.Result.BelowCommitted below -> throw new Problems.SaleChangeRejected(
                            "Stock cannot go below the " + Problems.units(below.unitsCommitted()) + " already held or sold.");
                })
                .call(armed -> armed ? events.publish(SaleEvent.Type.STOCK_RETURNED, saleId) : Uni.createFrom().voidItem());
    }
}
