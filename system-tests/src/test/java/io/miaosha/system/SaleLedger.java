package io.miaosha.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One sale's books across the two stores after a fault: MySQL's order rows against the sale's hot
 * state in a test's own Redis. The verdict: every acknowledged order is one row, no unit is sold
 * twice (stock left + units held or paid = the sale's stock, in both stores alike) and nobody holds
 * more than the limit.
 */
final class SaleLedger implements AutoCloseable {

    private final Connection sql;
    private final OwnRedis redis;
    private final long saleId;
    private final SaleKeys keys;

    SaleLedger(OwnRedis redis, long saleId) throws SQLException {
        this.sql = DriverManager.getConnection(TestDatabase.URL, "miaosha", "miaosha");
        this.redis = redis;
        this.saleId = saleId;
        this.keys = new SaleKeys(saleId);
    }

    void setHoldSeconds(int seconds) throws SQLException {
        try (PreparedStatement update = sql.prepareStatement("UPDATE sales SET hold_seconds = ? WHERE id = ?")) {
            update.setInt(1, seconds);
            update.setLong(2, saleId);
            update.executeUpdate();
        }
    }

    /** Orders of the sale in MySQL by status. */
    Map<String, Integer> statusesInMySql() throws SQLException {
        Map<String, Integer> statuses = new HashMap<>();
        try (PreparedStatement query = sql.prepareStatement("SELECT status, COUNT(*) FROM orders WHERE sale_id = ? GROUP BY status")) {
            query.setLong(1, saleId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    statuses.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return statuses;
    }

    String statusOf(String orderId) throws SQLException {
        try (PreparedStatement query = sql.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            query.setString(1, orderId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    int ordersWithIdempotencyKey() throws SQLException {
        try (PreparedStatement query = sql.prepareStatement(
                "SELECT COUNT(*) FROM orders WHERE sale_id = ? AND idempotency_key IS NOT NULL")) {
            query.setLong(1, saleId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    boolean recovering() {
        return "1".equals(redis.cli("HEXISTS", keys.meta(), "recovering"));
    }

    long stockInRedis() {
        return Long.parseLong(redis.cli("GET", keys.stock()));
    }

    /** Whether the relay has moved every outbox entry to the broker (acknowledged and deleted). */
    boolean outboxEmpty() {
        return "0".equals(redis.cli("XLEN", keys.outbox()));
    }

    /** Holds in Redis by status (PENDING, PAID, EXPIRED). */
    Map<String, Integer> holdsInRedis() {
        Map<String, Integer> holds = new HashMap<>();
        for (String hold : hashValues(keys.holds())) {
            holds.merge(hold.split("\\|")[3], 1, Integer::sum);
        }
        return holds;
    }

    /**
     * The verdict. {@code acknowledged}: the ids of every order a shopper was answered 202 for. Waits
     * for nothing: call it once the pipeline is drained.
     */
    void assertBalanced(int stock, int perUserLimit, Collection<String> acknowledged) throws SQLException {
        List<TestDatabase.OrderRow> rows;
        try (TestDatabase db = TestDatabase.connect()) {
            rows = db.ordersOfSale(saleId);
        }
        Set<String> ids = rows.stream().map(TestDatabase.OrderRow::id).collect(Collectors.toSet());
        assertEquals(rows.size(), ids.size(), "one row per order id");
        List<String> missing = acknowledged.stream().filter(id -> !ids.contains(id)).toList();
        assertEquals(List.of(), missing, "acknowledged orders missing from MySQL");

        long committedInMySql = rows.stream().filter(SaleLedger::holdsUnits).mapToLong(TestDatabase.OrderRow::quantity).sum();
        long left = stockInRedis();
        assertTrue(left >= 0, "stock in Redis went below zero: " + left + " (a unit sold twice)");
        assertEquals(stock, left + committedInMySql,
                "units left in Redis (" + left + ") + units held or paid in MySQL (" + committedInMySql + ") = the stock");

        long committedInRedis = 0;
        Map<String, Long> perUserInRedisHolds = new HashMap<>();
        for (String hold : hashValues(keys.holds())) {
            String[] parts = hold.split("\\|");
            if (!parts[3].equals("EXPIRED")) {
                committedInRedis += Long.parseLong(parts[1]);
                perUserInRedisHolds.merge(parts[0], Long.parseLong(parts[1]), Long::sum);
            }
        }
        assertEquals(committedInMySql, committedInRedis, "units held or paid: Redis holds vs MySQL rows");

        Map<String, Long> perUserInMySql = rows.stream().filter(SaleLedger::holdsUnits)
                .collect(Collectors.groupingBy(row -> Long.toString(row.userId()),
                        Collectors.summingLong(TestDatabase.OrderRow::quantity)));
        perUserInMySql.forEach((user, units) -> assertTrue(units <= perUserLimit,
                "user " + user + " holds " + units + " units, the limit is " + perUserLimit));
        assertEquals(perUserInMySql, perUserInRedisHolds, "units per user: MySQL vs Redis holds");
        Map<String, Long> counted = new HashMap<>();
        hashEntries(keys.userUnits()).forEach((user, units) -> {
            if (Long.parseLong(units) != 0) {
                counted.put(user, Long.parseLong(units));
            }
        });
        assertEquals(perUserInMySql, counted, "the per-user counts the limit is checked against vs MySQL");
    }

    private static boolean holdsUnits(TestDatabase.OrderRow row) {
        return row.status().equals("PENDING_PAYMENT") || row.status().equals("PAID");
    }

    private List<String> hashValues(String key) {
        return List.copyOf(hashEntries(key).values());
    }

    private Map<String, String> hashEntries(String key) {
        String reply = redis.cli("HGETALL", key);
        Map<String, String> entries = new HashMap<>();
        if (reply.isBlank()) {
            return entries;
        }
        String[] lines = reply.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            entries.put(lines[i], lines[i + 1]);
        }
        return entries;
    }

    @Override
    public void close() throws SQLException {
        sql.close();
    }
}
