package io.miaosha.worker.expiry;

import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.redis.RedisClock;
import io.miaosha.common.sale.ReleaseHoldScript;
import io.miaosha.common.sale.ReleaseHoldScript.Result;
import io.miaosha.worker.events.OrderEvents;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends an unpaid hold at its pay-by time: release_hold.lua returns the units in Redis (exactly
 * once), then the order becomes EXPIRED in MySQL, then the shopper and every instance are told.
 * Each step is idempotent, so a redelivered HoldDue, or one retried after a crash between steps,
 * finishes the work without doing any of it twice.
 */
@ApplicationScoped
public class HoldExpiry {

    private final ReleaseHoldScript release;
    private final ExpiredOrders orders;
    private final OrderEvents events;

    public HoldExpiry(ReactiveRedisDataSource redis, ExpiredOrders orders, OrderEvents events) {
        this.release = new ReleaseHoldScript(redis);
        this.orders = orders;
        this.events = events;
    }

    public Uni<Void> expire(HoldDue due) {
        return release.run(due.saleId(), due.orderId(), RedisClock.SERVER)
                .chain(result -> switch (result) {
                    case Result.Released released -> orders.markExpired(due.orderId())
                            .chain(changed -> announce(due, released.userId()));
                    case Result.AlreadyExpired earlier -> orders.markExpired(due.orderId())
                            .chain(changed -> changed ? announce(due, earlier.userId()) : Uni.createFrom().voidItem());
                    case Result.Paid paid -> Uni.createFrom().voidItem();
                    case Result.NotDue notDue -> Uni.createFrom().failure(
                            new IllegalStateException("hold " + due.orderId() + " is not due yet (clock skew?)"));
                    // The sale's hot state lost the hold (Redis lost its data, or the sale was rebuilt without
                    // it): its pay-by time has passed, so the order is settled as expired in MySQL, never left
                    // pending. A rebuild that reads MySQL later does not count its units; one that read it
                    // before restored the hold, which the sweeper then releases (nothing is counted twice).
                    case Result.NoSuchHold none -> System.currentTimeMillis() < due.payByMs()
                            ? Uni.createFrom().failure(new IllegalStateException("hold " + due.orderId() + " is not due yet"))
                            : orders.markExpired(due.orderId()).invoke(changed -> {
                        if (changed) {
                            Log.infof("hold %s of sale %d is not in Redis: order settled as EXPIRED in MySQL",
                                    due.orderId(), due.saleId());
                        }
                    }).replaceWithVoid();
                });
    }

    private Uni<Void> announce(HoldDue due, long userId) {
        return events.stockReturned(due.saleId())
                .chain(() -> events.orderChanged(due.orderId(), userId, due.saleId(), OrderStatus.EXPIRED));
    }
}
