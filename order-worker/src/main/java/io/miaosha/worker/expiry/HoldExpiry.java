package io.miaosha.worker.expiry;

import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.worker.events.OrderEvents;
import io.quarkus.logging.Log;
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

    private final HoldReleaseScript release;
    private final ExpiredOrders orders;
    private final OrderEvents events;

    public HoldExpiry(HoldReleaseScript release, ExpiredOrders orders, OrderEvents events) {
        this.release = release;
        this.orders = orders;
        this.events = events;
    }

    public Uni<Void> expire(HoldDue due) {
        return release.run(due.saleId(), due.orderId(), System.currentTimeMillis())
                .chain(result -> switch (result.code()) {
                    case HoldReleaseScript.RELEASED, HoldReleaseScript.ALREADY_EXPIRED -> orders.markExpired(due.orderId())
                            .chain(changed -> changed || result.code() == HoldReleaseScript.RELEASED
                                    ? announce(due, result.userId())
                                    : Uni.createFrom().voidItem());
                    case HoldReleaseScript.PAID -> Uni.createFrom().voidItem();
                    case HoldReleaseScript.NOT_DUE -> Uni.createFrom().failure(
                            new IllegalStateException("hold " + due.orderId() + " is not due yet (clock skew?)"));
                    default -> {
                        Log.warnf("hold %s of sale %d is not in Redis; nothing to release", due.orderId(), due.saleId());
                        yield Uni.createFrom().voidItem();
                    }
                });
    }

    private Uni<Void> announce(HoldDue due, long userId) {
        return events.stockReturned(due.saleId())
                .chain(() -> events.orderChanged(due.orderId(), userId, due.saleId(), OrderStatus.EXPIRED));
    }
}
