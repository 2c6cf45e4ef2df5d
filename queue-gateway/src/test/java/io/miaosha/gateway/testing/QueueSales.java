package io.miaosha.gateway.testing;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import java.util.List;

/**
 * Sales as the API arms them (the same hash fields arm_sale.lua writes), straight in the test's
 * Redis database: the gateway reads nothing else. Each sale gets an id no earlier test used.
 */
public final class QueueSales {

    private final RedisDataSource redis;

    public QueueSales(RedisDataSource redis) {
        this.redis = redis;
    }

    public long arm(long opensAtMs, long closesAtMs, int stock, int capacity, long windowMs) {
        long saleId = 9_000_000 + redis.value(Long.class).incr("test:queue:sale-ids");
        SaleKeys keys = new SaleKeys(saleId);
        List<String> old = redis.key().keys(keys.tag() + "*");
        if (!old.isEmpty()) {
            redis.key().del(old.toArray(String[]::new));
        }
        redis.hash(String.class).hset(keys.meta(), java.util.Map.of("state", "scheduled",
                "opens_at", Long.toString(opensAtMs), "closes_at", Long.toString(closesAtMs), "per_user_limit", "2",
                "hold_ms", "300000", "price", "1999", "currency", "EUR", "queue", "1",
                "queue_capacity", Integer.toString(capacity), "window_ms", Long.toString(windowMs)));
        redis.value(String.class).set(keys.stock(), Integer.toString(stock));
        return saleId;
    }

    /** Open since a second ago for an hour. */
    public long live(int stock, int capacity, long windowMs) {
        long now = System.currentTimeMillis();
        return arm(now - 1000, now + 3_600_000, stock, capacity, windowMs);
    }

    public void setStock(long saleId, int units) {
        redis.value(String.class).set(new SaleKeys(saleId).stock(), Integer.toString(units));
    }

    public void publishSaleEvent(String type, long saleId) {
        redis.pubsub(String.class).publish(SaleKeys.SALE_EVENTS_CHANNEL, type + ":" + saleId);
    }

    public List<String> waitingOrder(long saleId) {
        return redis.sortedSet(String.class).zrange(new QueueKeys(saleId).waiting(), 0, -1);
    }

    public long insideCount(long saleId) {
        return redis.sortedSet(String.class).zcard(new QueueKeys(saleId).inside());
    }

    public Double ticket(long saleId, long userId) {
        var score = redis.sortedSet(String.class).zscore(new QueueKeys(saleId).waiting(), Long.toString(userId));
        return score.isPresent() ? score.getAsDouble() : null;
    }

    public boolean inside(long saleId, long userId) {
        return redis.sortedSet(String.class).zscore(new QueueKeys(saleId).inside(), Long.toString(userId)).isPresent();
    }

    public String leaseHolder(long saleId) {
        return redis.value(String.class).get(new QueueKeys(saleId).lease());
    }

    public long nextUserId() {
        return redis.value(Long.class).incr("test:queue:user-ids");
    }
}
