package io.miaosha.gateway.testing;

import io.miaosha.common.events.SaleEvent;
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
    private final List<Long> armed = new java.util.ArrayList<>();

    public QueueSales(RedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * Takes every sale this instance armed out of the queued-sales set, so that the admission loops
     * stop ticking them after the test (a live sale with a shopper inside would be ticked for its
     * whole window, and timing tests that run later would share Redis and the event loops with it).
     */
    public void unqueueArmed() {
        armed.forEach(this::unqueue);
    }

    public long arm(long opensAtMs, long closesAtMs, int stock, int capacity, long windowMs) {
        return arm(9_000_000 + redis.value(Long.class).incr("test:queue:sale-ids"), opensAtMs, closesAtMs, stock,
                capacity, windowMs);
    }

    /** Arms the sale of this id (for one a socket asked for before it was armed). */
    public long arm(long saleId, long opensAtMs, long closesAtMs, int stock, int capacity, long windowMs) {
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
        armed.add(saleId);
        return saleId;
    }

    /** Open since a second ago for an hour. */
    public long live(int stock, int capacity, long windowMs) {
        long now = System.currentTimeMillis();
        return arm(now - 1000, now + 3_600_000, stock, capacity, windowMs);
    }

    /** The sale stays armed, but buying no longer goes through the waiting room. */
    public void withoutWaitingRoom(long saleId) {
        redis.hash(String.class).hset(new SaleKeys(saleId).meta(), "queue", "0");
    }

    /** An id no test armed: nothing in Redis under its hash tag. */
    public long unknownSaleId() {
        long saleId = 9_500_000 + redis.value(Long.class).incr("test:queue:sale-ids");
        List<String> old = keys(saleId);
        if (!old.isEmpty()) {
            redis.key().del(old.toArray(String[]::new));
        }
        return saleId;
    }

    /** Every Redis key of the sale (its hash tag), sorted. */
    public List<String> keys(long saleId) {
        return redis.key().keys(new SaleKeys(saleId).tag() + "*").stream().sorted().toList();
    }

    /** Whether the sale is in the set of sales the admission loops tick. */
    public boolean queued(long saleId) {
        return redis.set(Long.class).sismember(QueueKeys.QUEUED_SALES, saleId);
    }

    public void unqueue(long saleId) {
        redis.set(Long.class).srem(QueueKeys.QUEUED_SALES, saleId);
    }

    /** Open sockets of the user on the sale, as counted in Redis (all instances); 0 when none. */
    public long sockets(long saleId, long userId) {
        String count = redis.hash(String.class).hget(new QueueKeys(saleId).connections(), Long.toString(userId));
        return count == null ? 0 : Long.parseLong(count);
    }

    /** Whether the user's ticket is in its grace period (its last socket closed without leaving). */
    public boolean inGrace(long saleId, long userId) {
        return redis.sortedSet(String.class).zscore(new QueueKeys(saleId).gone(), Long.toString(userId)).isPresent();
    }

    public void setStock(long saleId, int units) {
        redis.value(String.class).set(new SaleKeys(saleId).stock(), Integer.toString(units));
    }

    public void publishSaleEvent(String type, long saleId) {
        redis.pubsub(String.class).publish(SaleEvent.CHANNEL, new SaleEvent(SaleEvent.Type.valueOf(type), saleId).encode());
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
