package io.miaosha.api.testing;

import io.miaosha.common.queue.DrawFunction;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Products and sales written straight to MySQL (the admin API has its own tests). Every sale gets
 * a fresh auto-increment id; any Redis state left under that id by an earlier life of the test
 * database is deleted, so each test starts from a sale that was never armed.
 */
@ApplicationScoped
public class TestSales {

    private final Pool db;
    private final RedisDataSource redis;

    public TestSales(Pool db, RedisDataSource redis) {
        this.db = db;
        this.redis = redis;
    }

    public long product() {
        return db.preparedQuery("INSERT INTO products (sku, name, description) VALUES (?, ?, ?)")
                .execute(Tuple.of("sku-" + UUID.randomUUID(), "Test sneaker", "For tests"))
                .map(rows -> (long) rows.property(MySQLClient.LAST_INSERTED_ID))
                .await().atMost(Duration.ofSeconds(10));
    }

    /** A sale open since a minute ago for an hour. */
    public long live(int stock, int perUserLimit) {
        Instant now = now();
        return create(stock, perUserLimit, now.minusSeconds(60), now.plusSeconds(3600), false);
    }

    /** A live sale behind the waiting room: buying needs an admission token. */
    public long liveQueued(int stock, int perUserLimit, int capacity) {
        Instant now = now();
        return create(stock, perUserLimit, now.minusSeconds(60), now.plusSeconds(3600), false, capacity);
    }

    /** A sale behind the waiting room that opens in an hour. */
    public long upcomingQueued(int stock, int perUserLimit, int capacity) {
        Instant now = now();
        return create(stock, perUserLimit, now.plusSeconds(3600), now.plusSeconds(7200), false, capacity);
    }

    public long upcoming(int stock, int perUserLimit) {
        Instant now = now();
        return create(stock, perUserLimit, now.plusSeconds(3600), now.plusSeconds(7200), false);
    }

    public long ended(int stock, int perUserLimit) {
        Instant now = now();
        return create(stock, perUserLimit, now.minusSeconds(7200), now.minusSeconds(3600), false);
    }

    public long cancelled(int stock, int perUserLimit) {
        Instant now = now();
        return create(stock, perUserLimit, now.minusSeconds(60), now.plusSeconds(3600), true);
    }

    public long create(int stock, int perUserLimit, Instant opensAt, Instant closesAt, boolean cancelled) {
        return create(stock, perUserLimit, opensAt, closesAt, cancelled, 0);
    }

    /**
     * {@code queueCapacity} 0: no waiting room. One INSERT with every column: the auto-armer, every
     * 10 s, may read the row between an INSERT and a later UPDATE and arm what it read after the
     * test armed the updated sale.
     */
    public long create(int stock, int perUserLimit, Instant opensAt, Instant closesAt, boolean cancelled, int queueCapacity) {
        return create(stock, perUserLimit, opensAt, closesAt, cancelled, queueCapacity, false);
    }

    /** A live sale for verified email accounts only; {@code queueCapacity} 0: no waiting room. */
    public long liveVerifiedOnly(int stock, int perUserLimit, int queueCapacity) {
        Instant now = now();
        return create(stock, perUserLimit, now.minusSeconds(60), now.plusSeconds(3600), false, queueCapacity, true);
    }

    public long create(int stock, int perUserLimit, Instant opensAt, Instant closesAt, boolean cancelled, int queueCapacity,
            boolean verifiedEmailOnly) {
        long productId = product();
        long id = db.preparedQuery("""
                        INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                           per_user_limit, queue_enabled, queue_capacity, window_seconds, hold_seconds, cancelled,
                                           verified_email_only)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .execute(Tuple.from(List.of(productId, "Test drop", 1999L, "EUR", stock, utc(opensAt), utc(closesAt),
                        perUserLimit, queueCapacity > 0, queueCapacity > 0 ? queueCapacity : 100, 600, 300, cancelled,
                        verifiedEmailOnly)))
                .map(rows -> (long) rows.property(MySQLClient.LAST_INSERTED_ID))
                .await().atMost(Duration.ofSeconds(10));
        forgetHotState(id);
        return id;
    }

    /**
     * Gives the sale a pre-opening draw already revealed, with one entrant, as queue_draw.lua and
     * queue_join.lua leave it once a sale that shoppers joined before its opening is open.
     */
    public void withRevealedDraw(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        String seed = DrawFunction.newSeed();
        redis.hash(String.class).hset(queue.draw(), Map.of("seed", seed, "commitment", DrawFunction.commitment(seed), "revealed", "1"));
        redis.set(String.class).sadd(queue.drawEntrants(), "0123456789abcdef");
    }

    /** The Redis keys of this sale, and whether it is in the armed set: empty when nothing armed it. */
    public List<String> hotState(long saleId) {
        List<String> keys = new java.util.ArrayList<>(redis.key().keys(new SaleKeys(saleId).tag() + "*"));
        if (redis.set(String.class).sismember(SaleKeys.ARMED_SALES, Long.toString(saleId))) {
            keys.add(SaleKeys.ARMED_SALES);
        }
        return keys;
    }

    /** Deletes every Redis key of this sale. */
    public void forgetHotState(long saleId) {
        List<String> keys = redis.key().keys(new SaleKeys(saleId).tag() + "*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
        redis.set(String.class).srem(SaleKeys.ARMED_SALES, Long.toString(saleId));
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
