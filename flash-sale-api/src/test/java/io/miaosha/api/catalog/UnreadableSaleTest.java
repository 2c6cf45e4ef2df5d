package io.miaosha.api.catalog;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sale row the API cannot read back (here a zero opening date, as a lenient database stored year -1
 * before strict mode) is left out and logged; the storefront listing, the auto-armer and the arming API
 * go on serving every other sale.
 */
@QuarkusTest
class UnreadableSaleTest {

    @Inject
    Pool db;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @Inject
    SaleArmer armer;
    @ConfigProperty(name = "miaosha.db.sql-mode")
    String strictMode;

    private long broken;
    private long good;

    @BeforeEach
    void insertABrokenSaleBesideAGoodOne() {
        long productId = sales.product();
        Instant now = TestSales.now();
        // Only a lenient session can write such a row today; the connection gets its strict mode back after.
        broken = db.withConnection(connection -> connection.query("SET SESSION sql_mode = ''").execute()
                .chain(() -> connection.preparedQuery("""
                                INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                                   per_user_limit, queue_capacity, window_seconds, hold_seconds)
                                VALUES (?, 'Broken', 100, 'EUR', 5, '0000-00-00 00:00:00', ?, 1, 10, 600, 300)""")
                        .execute(Tuple.of(productId, TestSales.utc(now.plusSeconds(3600)))))
                .map(rows -> (long) rows.property(MySQLClient.LAST_INSERTED_ID))
                .call(() -> connection.query("SET SESSION sql_mode = '" + strictMode + "'").execute()))
                .await().atMost(Duration.ofSeconds(10));
        sales.forgetHotState(broken);
        // Opened long ago, so it is among the first the listing (soonest first, 200 at most) returns
        // however many sales earlier tests left in the shared test database.
        good = sales.create(5, 1, java.time.Instant.parse("2000-01-02T00:00:00Z"), now.plusSeconds(3600), false);
    }

    @AfterEach
    void removeTheBrokenSale() {
        stores.execute("DELETE FROM sales WHERE id = ?", broken);
        sales.forgetHotState(broken);
    }

    @Test
    void theListingLeavesTheBrokenSaleOutAndShowsTheOthers() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/api/sales").then().statusCode(200)
                .body("id", hasItem((int) good))
                .body("id", not(hasItem((int) broken))));
        given().get("/api/sales/" + good).then().statusCode(200);
        assertProblem(given().get("/api/sales/" + broken).then(), 404, "not-found");
    }

    @Test
    void theAutoArmerSkipsTheBrokenSaleAndArmsTheOthers() {
        armer.armLiveAndOpeningWithin(Duration.ofMinutes(10)).await().atMost(Duration.ofSeconds(10));

        assertFalse(stores.meta(good).isEmpty(), "the good sale is armed");
        assertTrue(stores.keys(broken).isEmpty(), "the broken sale is not");
    }

    @Test
    void theArmingApiAnswersForTheOtherSales() {
        given().header("X-Miaosha-Arming-Key", "test-arming-key")
                .post("/api/internal/arming/upcoming?lookaheadMinutes=15").then().statusCode(200)
                .body("sales.id", hasItem((int) good))
                .body("sales.id", not(hasItem((int) broken)));
        given().header("X-Miaosha-Arming-Key", "test-arming-key")
                .get("/api/internal/arming/upcoming?lookaheadMinutes=15").then().statusCode(200)
                .body("sales.id", hasItem((int) good));
        assertFalse(stores.meta(good).isEmpty());
        assertTrue(stores.redis().set(String.class).smembers(SaleKeys.ARMED_SALES).contains(Long.toString(good)));
    }
}
