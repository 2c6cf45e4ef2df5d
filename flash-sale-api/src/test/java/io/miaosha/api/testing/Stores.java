package io.miaosha.api.testing;

import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads what the tests assert on: a sale's keys in Redis and row counts in MySQL. */
@ApplicationScoped
public class Stores {

    private final RedisDataSource redis;
    private final Pool db;

    public Stores(RedisDataSource redis, Pool db) {
        this.redis = redis;
        this.db = db;
    }

    public RedisDataSource redis() {
        return redis;
    }

    public Long stock(long saleId) {
        String value = redis.value(String.class).get(new SaleKeys(saleId).stock());
        return value == null ? null : Long.parseLong(value);
    }

    public Map<String, String> meta(long saleId) {
        return redis.hash(String.class).hgetall(new SaleKeys(saleId).meta());
    }

    /** User id to units held, as the purchase script counts them. */
    public Map<String, String> userUnits(long saleId) {
        return redis.hash(String.class).hgetall(new SaleKeys(saleId).userUnits());
    }

    /** Order id to "userId|quantity|payByMs|status". */
    public Map<String, String> holds(long saleId) {
        return redis.hash(String.class).hgetall(new SaleKeys(saleId).holds());
    }

    public long holdDeadlines(long saleId) {
        return redis.sortedSet(String.class).zcard(new SaleKeys(saleId).holdDeadlines());
    }

    public long outboxLength(long saleId) {
        return redis.stream(String.class).xlen(new SaleKeys(saleId).outbox());
    }

    /** Entries ever appended to the outbox: unlike its length, the relay's deletes do not change it. */
    public long outboxEntriesAdded(long saleId) {
        String key = new SaleKeys(saleId).outbox();
        if (redis.key().exists(key)) {
            return Long.parseLong(field(redis.execute("XINFO", "STREAM", key), "entries-added"));
        }
        return 0;
    }

    /** Entries the relay has read but not yet acknowledged. */
    public long outboxPending(long saleId) {
        String key = new SaleKeys(saleId).outbox();
        if (!redis.key().exists(key)) {
            return 0;
        }
        return redis.execute("XPENDING", key, SaleKeys.RELAY_GROUP).get(0).toLong();
    }

    public List<String> keys(long saleId) {
        return redis.key().keys(new SaleKeys(saleId).tag() + "*");
    }

    /**
     * Everything Redis holds for this sale, as one comparable text. The outbox appears as the
     * number of entries ever added, so a relay draining it concurrently does not change the picture.
     */
    public String snapshot(long saleId) {
        Map<String, String> state = new TreeMap<>();
        for (String key : keys(saleId)) {
            String type = redis.key().type(key).name();
            String value = switch (type) {
                case "STRING" -> redis.value(String.class).get(key);
                case "HASH" -> new TreeMap<>(redis.hash(String.class).hgetall(key)).toString();
                case "ZSET" -> redis.sortedSet(String.class).zrangeWithScores(key, 0, -1).toString();
                case "STREAM" -> "entries-added=" + outboxEntriesAdded(saleId);
                default -> type;
            };
            state.put(key, value);
        }
        return state.toString();
    }

    public long count(String sql, Object... args) {
        return db.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    /** Row counts of every table the API writes: "writes nothing" means these do not move. */
    public Map<String, Long> tableCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("users", "products", "sales", "orders", "order_status_history", "venues", "venue_areas",
                "seats", "sale_area_prices", "order_seats")) {
            counts.put(table, count("SELECT COUNT(*) FROM " + table));
        }
        // armed_at is left out: the auto-armer sets it in the background.
        counts.put("sales.checksum", count("SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', id, product_id, title, price_minor,"
                + " currency, stock, opens_at, closes_at, per_user_limit, queue_capacity, cancelled))), 0) FROM sales"));
        return counts;
    }

    public void execute(String sql, Object... args) {
        db.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10));
    }

    /** A field of a Redis reply that is a map in RESP3 and a flat list of pairs in RESP2. */
    static String field(Response reply, String name) {
        if (reply.type() == ResponseType.MULTI && reply.getKeys() != null && !reply.getKeys().isEmpty()) {
            return reply.get(name).toString();
        }
        List<Response> items = new ArrayList<>();
        reply.forEach(items::add);
        for (int i = 0; i + 1 < items.size(); i += 2) {
            if (name.equals(items.get(i).toString())) {
                return items.get(i + 1).toString();
            }
        }
        throw new IllegalArgumentException("no field " + name + " in " + reply);
    }
}
