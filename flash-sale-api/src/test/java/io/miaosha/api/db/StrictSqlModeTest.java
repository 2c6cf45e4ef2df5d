package io.miaosha.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every connection of every data source runs in strict SQL mode, so the database itself refuses a
 * value the API would not accept instead of storing a zero date or a clipped number.
 */
@QuarkusTest
class StrictSqlModeTest {

    @Inject
    Pool writer;
    @Inject
    @ReactiveDataSource("read")
    Pool reader;
    @Inject
    AgroalDataSource jdbc;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void everyReactiveConnectionOfTheWriterAndTheReaderIsStrict() {
        for (Pool pool : List.of(writer, reader)) {
            // Several connections at once, so more than the first one of the pool is looked at.
            List<io.smallrye.mutiny.Uni<String>> modes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                modes.add(pool.withConnection(connection -> connection.query("SELECT @@SESSION.sql_mode").execute()
                        .onItem().delayIt().by(Duration.ofMillis(50))
                        .map(rows -> rows.iterator().next().getString(0))));
            }
            List<String> seen = io.smallrye.mutiny.Uni.join().all(modes).andFailFast().await().atMost(Duration.ofSeconds(10));
            for (String mode : seen) {
                assertStrict(mode);
            }
        }
    }

    @Test
    void theJdbcConnectionIsStrict() throws Exception {
        try (Connection connection = jdbc.getConnection(); ResultSet rows = connection.createStatement()
                .executeQuery("SELECT @@SESSION.sql_mode")) {
            rows.next();
            assertStrict(rows.getString(1));
        }
    }

    @Test
    void aDateTheDatabaseCannotStoreIsRefusedByItNotStoredAsZero() {
        long productId = sales.product();
        long before = stores.count("SELECT COUNT(*) FROM sales");

        // Year -1 over the binary protocol: a lenient server stored it as 0000-00-00 (read back as NULL).
        MySQLException refused = assertThrows(MySQLException.class, () -> writer.preparedQuery("""
                        INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                           per_user_limit, queue_capacity, window_seconds, hold_seconds)
                        VALUES (?, 'Bad date', 100, 'EUR', 5, ?, ?, 1, 10, 600, 300)""")
                .execute(Tuple.of(productId, LocalDateTime.of(-1, 1, 1, 0, 0), LocalDateTime.of(2031, 1, 1, 0, 0)))
                .await().atMost(Duration.ofSeconds(10)));

        assertEquals("22007", refused.getSqlState(), "invalid datetime value");
        assertEquals(before, stores.count("SELECT COUNT(*) FROM sales"));
        assertEquals(0, stores.count("SELECT COUNT(*) FROM sales WHERE opens_at = '0000-00-00' OR opens_at IS NULL"));
    }

    @Test
    void aTooLongValueIsRefusedNotTruncated() {
        MySQLException refused = assertThrows(MySQLException.class, () -> writer.preparedQuery(
                        "INSERT INTO products (sku, name) VALUES (?, 'Too long')")
                .execute(Tuple.of("x".repeat(65))).await().atMost(Duration.ofSeconds(10)));

        assertEquals("22001", refused.getSqlState(), "data too long");
        assertEquals(0, stores.count("SELECT COUNT(*) FROM products WHERE sku = ?", "x".repeat(64)));
    }

    private static void assertStrict(String mode) {
        for (String required : List.of("STRICT_ALL_TABLES", "NO_ZERO_DATE", "NO_ZERO_IN_DATE", "ERROR_FOR_DIVISION_BY_ZERO")) {
            assertTrue(mode.contains(required), "sql_mode " + mode + " lacks " + required);
        }
    }
}
