package io.miaosha.worker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every connection of the worker's data sources runs in strict SQL mode; the database refuses a bad date. */
@QuarkusTest
class StrictSqlModeTest {

    @Inject
    Pool writer;
    @Inject
    AgroalDataSource jdbc;

    @Test
    void everyReactiveConnectionIsStrict() {
        List<Uni<String>> modes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            modes.add(writer.withConnection(connection -> connection.query("SELECT @@SESSION.sql_mode").execute()
                    .onItem().delayIt().by(Duration.ofMillis(50))
                    .map(rows -> rows.iterator().next().getString(0))));
        }
        for (String mode : Uni.join().all(modes).andFailFast().await().atMost(Duration.ofSeconds(10))) {
            assertStrict(mode);
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
    void anOrderWithADateTheDatabaseCannotStoreIsRefusedNotStoredAsZero() {
        String orderId = UUID.randomUUID().toString();
        MySQLException refused = assertThrows(MySQLException.class, () -> writer.preparedQuery("""
                        INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status,
                                            pay_by, created_at)
                        VALUES (?, 1, 1, 1, 100, 100, 'EUR', 'PENDING_PAYMENT', ?, ?)""")
                .execute(Tuple.of(orderId, LocalDateTime.of(-1, 1, 1, 0, 0), LocalDateTime.of(2031, 1, 1, 0, 0)))
                .await().atMost(Duration.ofSeconds(10)));

        assertEquals("22007", refused.getSqlState());
        long stored = writer.preparedQuery("SELECT COUNT(*) FROM orders WHERE id = ?").execute(Tuple.of(orderId))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(0, stored);
    }

    private static void assertStrict(String mode) {
        for (String required : List.of("STRICT_ALL_TABLES", "NO_ZERO_DATE", "NO_ZERO_IN_DATE", "ERROR_FOR_DIVISION_BY_ZERO")) {
            assertTrue(mode.contains(required), "sql_mode " + mode + " lacks " + required);
        }
    }
}
