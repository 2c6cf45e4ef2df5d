package io.miaosha.api.purchase;

import io.miaosha.common.sale.SaleEvent;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this instance knows about sold-out sales. Once Redis has said "sold out", further attempts
 * are answered from here without a round trip, which is what lets one instance refuse a crowd at
 * memory speed. A STOCK_RETURNED event on the sale-events channel forgets the sale at once; the
 * recheck interval bounds the damage of a missed event.
 */
@ApplicationScoped
public class SoldOutMemory {

    private final ConcurrentHashMap<Long, Long> soldOutUntilNanos = new ConcurrentHashMap<>();
    private final ReactiveRedisDataSource redis;
    private final long recheckNanos;

    public SoldOutMemory(ReactiveRedisDataSource redis, PurchaseConfig config) {
        this.redis = redis;
        this.recheckNanos = config.soldOutRecheck().toNanos();
    }

    void listen(@Observes StartupEvent startup) {
        redis.pubsub(String.class).subscribe(SaleKeys.SALE_EVENTS_CHANNEL)
                .subscribe().with(this::onEvent, failure -> Log.warn("sale events subscription failed", failure));
    }

    public boolean isSoldOut(long saleId) {
        Long until = soldOutUntilNanos.get(saleId);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            soldOutUntilNanos.remove(saleId, until);
            return false;
        }
        return true;
    }

    public void remember(long saleId) {
        soldOutUntilNanos.put(saleId, System.nanoTime() + recheckNanos);
    }

    public void forget(long saleId) {
        soldOutUntilNanos.remove(saleId);
    }

    Duration recheck() {
        return Duration.ofNanos(recheckNanos);
    }

    private void onEvent(String message) {
        try {
            SaleEvent event = SaleEvent.decode(message);
            switch (event.type()) {
                case SOLD_OUT -> remember(event.saleId());
                case STOCK_RETURNED, CHANGED -> forget(event.saleId());
            }
        } catch (RuntimeException e) {
            Log.warnf("ignoring malformed sale event '%s'", message);
        }
    }
}
