package io.miaosha.worker.testing;

import io.miaosha.common.order.OrderIds;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Users, sales and holds as the API would have written them, straight into MySQL and Redis. */
@ApplicationScoped
public class TestData {

    public static final long PRICE = 2500;

    private final Pool db;
    private final RedisDataSource redis;

    public TestData(Pool db, RedisDataSource redis) {
        this.db = db;
        this.redis = redis;
    }

    public record User(long id, String email) {
    }

    public User user() {
        String email = "w-" + UUID.randomUUID() + "@test.miaosha.dev";
        long id = db.preparedQuery("INSERT INTO users (email, password_hash, role) VALUES (?, 'x', 'shopper')")
                .execute(Tuple.of(email)).map(rows -> (long) rows.property(MySQLClient.LAST_INSERTED_ID)).await().indefinitely();
        return new User(id, email);
    }

    /** A live sale in MySQL, armed in Redis with this stock and hold time, and no Redis leftovers. */
    public long armedSale(int stock, long holdMs) {
        long productId = db.preparedQuery("INSERT INTO products (sku, name) VALUES (?, 'Worker test tee')")
                .execute(Tuple.of("sku-" + UUID.randomUUID()))
                .map(rows -> (long) rows.property(MySQLClient.LAST_INSERTED_ID)).await().indefinitely();
        Instant now = Instant.now();
        long saleId = db.preparedQuery("""
                        INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                           per_user_limit, queue_capacity, window_seconds, hold_seconds)
                        VALUES (?, 'Lifecycle drop', ?, 'EUR', ?, ?, ?, 5, 100, 600, ?)""")
                .execute(Tuple.from(List.of(productId, PRICE, stock, utc(now.minusSeconds(60)), utc(now.plusSeconds(3600)),
                        Math.max(1, holdMs / 1000))))
                .map(rows -> (long) rows.property(MySQLClient.LAST_INSERTED_ID)).await().indefinitely();
        SaleKeys keys = new SaleKeys(saleId);
        List<String> old = redis.key().keys(keys.tag() + "*");
        if (!old.isEmpty()) {
            redis.key().del(old.toArray(String[]::new));
        }
        redis.hash(String.class).hset(keys.meta(), Map.of("state", "scheduled",
                "opens_at", Long.toString(now.minusSeconds(60).toEpochMilli()),
                "closes_at", Long.toString(now.plusSeconds(3600).toEpochMilli()),
                "per_user_limit", "5", "hold_ms", Long.toString(holdMs), "price", Long.toString(PRICE),
                "currency", "EUR", "total", Integer.toString(stock)));
        redis.value(String.class).set(keys.stock(), Integer.toString(stock));
        return saleId;
    }

    /** A pending order: its hold in Redis (as purchase.lua writes it) and its row in MySQL. */
    public String pendingOrder(long saleId, long userId, int quantity, long payByMs) {
        String orderId = OrderIds.next();
        SaleKeys keys = new SaleKeys(saleId);
        redis.value(String.class).decrby(keys.stock(), quantity);
        redis.hash(String.class).hincrby(keys.userUnits(), Long.toString(userId), quantity);
        redis.hash(String.class).hset(keys.holds(), orderId, userId + "|" + quantity + "|" + payByMs + "|PENDING");
        redis.sortedSet(String.class).zadd(keys.holdDeadlines(), payByMs, orderId);
        insertOrders(saleId, List.of(new Row(orderId, userId, quantity, payByMs)));
        return orderId;
    }

    public record Row(String orderId, long userId, int quantity, long payByMs) {
    }

    public void insertOrders(long saleId, List<Row> rows) {
        List<Tuple> tuples = new ArrayList<>();
        for (Row row : rows) {
            tuples.add(Tuple.from(List.of(row.orderId(), saleId, row.userId(), row.quantity(), PRICE, PRICE * row.quantity(),
                    "EUR", "PENDING_PAYMENT", utc(Instant.ofEpochMilli(row.payByMs())), utc(Instant.now()))));
        }
        db.preparedQuery("""
                        INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency,
                                            status, pay_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .executeBatch(tuples).await().atMost(Duration.ofSeconds(30));
    }

    public String status(String orderId) {
        var rows = db.preparedQuery("SELECT status FROM orders WHERE id = ?").execute(Tuple.of(orderId)).await().indefinitely();
        return rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
    }

    public long count(String sql, Object... args) {
        return db.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().indefinitely().iterator().next().getLong(0);
    }

    public Map<String, String> orderRow(String orderId) {
        var row = db.preparedQuery("SELECT status, COALESCE(payment_id, ''), confirmation_queued_at IS NOT NULL FROM orders WHERE id = ?")
                .execute(Tuple.of(orderId)).await().indefinitely().iterator().next();
        return Map.of("status", row.getString(0), "paymentId", row.getString(1), "queued", Boolean.toString(row.getBoolean(2)));
    }

    public static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
