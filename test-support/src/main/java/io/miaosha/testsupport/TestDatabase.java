package io.miaosha.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Plain JDBC on the tests' MariaDB database ({@link TestStores#DB}): test data in, order rows out. Times are stored in UTC. */
public final class TestDatabase implements AutoCloseable {

    public static final String URL = TestStores.jdbcUrl();

    private final Connection connection;

    private TestDatabase(Connection connection) {
        this.connection = connection;
    }

    public static TestDatabase connect() {
        try {
            return new TestDatabase(DriverManager.getConnection(URL, "miaosha", "miaosha"));
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB is not reachable at " + URL
                    + "; run 'source scripts/lib/env.sh && ensure_servers' to start it", e);
        }
    }

    public record OrderRow(String id, long saleId, long userId, int quantity, long unitPriceMinor, long totalMinor,
            String currency, String status, Instant payBy, Instant createdAt) {
    }

    public Optional<OrderRow> order(String orderId) throws SQLException {
        List<OrderRow> rows = orders("WHERE id = ?", orderId);
        return rows.stream().findFirst();
    }

    public List<OrderRow> ordersOfSale(long saleId) throws SQLException {
        return orders("WHERE sale_id = ?", saleId);
    }

    public int orderCount(long saleId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM orders WHERE sale_id = ?")) {
            query.setLong(1, saleId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Status-history rows of all the sale's orders: exactly one per order until payment or expiry. */
    public int historyCount(long saleId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM order_status_history h"
                + " JOIN orders o ON o.id = h.order_id WHERE o.sale_id = ?")) {
            query.setLong(1, saleId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The statuses recorded for one order, oldest first. */
    public List<String> history(String orderId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT status FROM order_status_history WHERE order_id = ? ORDER BY changed_at")) {
            query.setString(1, orderId);
            List<String> statuses = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    statuses.add(rs.getString(1));
                }
            }
            return statuses;
        }
    }

    /**
     * An admin, for the arming call: the API accepts an admin session token only for a user that
     * exists with that role.
     */
    public long insertAdmin() throws SQLException {
        return insert("INSERT INTO users (email, password_hash, role) VALUES (?, ?, 'admin')",
                "it-admin-" + UUID.randomUUID() + "@test.miaosha.dev", "$2a$04$notarealhashnotarealhashnotarealhashnotarealhashnotre");
    }

    /** Inserts shoppers (one batch) and answers their ids in insertion order. */
    public List<Long> insertShoppers(int count) throws SQLException {
        String prefix = "it-" + UUID.randomUUID() + "-";
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (email, password_hash, role) VALUES (?, ?, 'shopper')")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, prefix + i + "@test.miaosha.dev");
                // Never used to log in: these shoppers hold minted session tokens.
                insert.setString(2, "$2a$04$notarealhashnotarealhashnotarealhashnotarealhashnotre");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM users WHERE email LIKE ? ORDER BY id")) {
            query.setString(1, prefix + "%");
            List<Long> ids = new ArrayList<>(count);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    /** A sale of a fresh product, open since a minute ago and for an hour more, priced 19.99 EUR. */
    public long insertLiveSale(int stock, int perUserLimit) throws SQLException {
        long productId = insert("INSERT INTO products (sku, name) VALUES (?, 'System test sneaker')", "it-" + UUID.randomUUID());
        Instant now = Instant.now();
        return insert("""
                INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                   per_user_limit, queue_capacity, window_seconds, hold_seconds)
                VALUES (?, 'System test drop', 1999, 'EUR', ?, ?, ?, ?, 100, 600, 900)""",
                productId, stock, utc(now.minusSeconds(60)), utc(now.plusSeconds(3600)), perUserLimit);
    }

    private long insert(String sql, Object... values) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private List<OrderRow> orders(String where, Object value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id, sale_id, user_id, quantity, unit_price_minor,"
                + " total_minor, currency, status, pay_by, created_at FROM orders " + where)) {
            query.setObject(1, value);
            List<OrderRow> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OrderRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5),
                            rs.getLong(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10)));
                }
            }
            return rows;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
