package io.miaosha.api.purchase;

import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.redis.LastingSubscription;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this instance knows about sold-out sales. Once Redis has said "sold out", further attempts
 * are answered from here without a round trip, which is what lets one instance refuse a crowd at
 * memory speed. A STOCK_RETURNED event on the sale-events channel forgets the sale at once; the
 * recheck interval bounds the damage of a missed event.
 */
@ApplicationScoped
public class SoldOutMemory {

    private static final Uni<Boolean> TRUE = Uni.createFrom().item(true);
    private static final Uni<Boolean> FALSE = Uni.createFrom().item(false);

    /**
     * Idempotency keys this instance has asked Redis about, per sold-out sale, and found unused. While
     * a sale stays sold out no key can become used (using one needs stock), so the answer holds until
     * the sale's entry goes: a browser pressing "buy" again with its one key costs Redis one look.
     */
    static final int MAX_UNUSED_KEYS_PER_SALE = 100_000;

    private record Entry(long untilNanos, Set<String> unusedKeys) {
    }

    private final ConcurrentHashMap<Long, Entry> soldOut = new ConcurrentHashMap<>();
    private final ReactiveRedisDataSource redis;
    private final ReactiveSetCommands<String, String> sets;
    private final long recheckNanos;

    public SoldOutMemory(ReactiveRedisDataSource redis, PurchaseConfig config) {
        this.redis = redis;
        this.sets = redis.set(String.class);
        this.recheckNanos = config.soldOutRecheck().toNanos();
    }

    void listen(@Observes StartupEvent startup) {
        // Subscribed again whenever its connection ends; a STOCK_RETURNED missed meanwhile waits for the recheck.
        LastingSubscription.follow(redis, SaleEvent.CHANNEL, this::onEvent);
    }

    public boolean isSoldOut(long saleId) {
        return live(saleId) != null;
    }

    /**
     * Whether this instance may answer a keyed attempt "sold out" itself: the sale is sold out and the
     * key never got an order in it (so the attempt cannot be a retry owed its original answer). The
     * first time a key is seen this asks Redis (the sale's set of used keys), once.
     */
    public Uni<Boolean> isSoldOutForKey(long saleId, String idempotencyKey) {
        Entry entry = live(saleId);
        if (entry == null) {
            return FALSE;
        }
        if (entry.unusedKeys().contains(idempotencyKey)) {
            return TRUE;
        }
        return sets.sismember(new SaleKeys(saleId).idempotencyKeys(), idempotencyKey).map(used -> {
            if (used) {
                return false;
            }
            if (entry.unusedKeys().size() < MAX_UNUSED_KEYS_PER_SALE) {
                entry.unusedKeys().add(idempotencyKey);
            }
            return true;
        });
    }

    public void remember(long saleId) {
        long until = System.nanoTime() + recheckNanos;
        soldOut.compute(saleId, (id, current) -> current == null || System.nanoTime() - current.untilNanos() > 0
                ? new Entry(until, ConcurrentHashMap.newKeySet())
                : new Entry(until, current.unusedKeys()));
    }

    public void forget(long saleId) {
        soldOut.remove(saleId);
    }

    private Entry live(long saleId) {
        Entry entry = soldOut.get(saleId);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.untilNanos() > 0) {
            soldOut.remove(saleId, entry);
            return null;
        }
        return entry;
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
