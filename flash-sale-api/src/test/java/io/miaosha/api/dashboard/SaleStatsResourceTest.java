package io.miaosha.api.dashboard;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SaleStatsResourceTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void statsCountUnitsLeftHeldAndSoldFromRedisAndListTheLatestOrdersFromMySql() {
        long saleId = sales.live(10, 3);
        TestUser first = users.shopper();
        TestUser second = users.shopper();
        String paidOrder = buy(first, saleId, 2);
        buy(second, saleId, 1);
        // What the payment flow writes when an order is paid: the hold's status becomes PAID.
        String hold = stores.holds(saleId).get(paidOrder);
        stores.redis().hash(String.class).hset(new SaleKeys(saleId).holds(), paidOrder, hold.replace("|PENDING", "|PAID"));
        Instant older = Instant.parse("2026-01-01T10:00:00Z");
        String olderId = UUID.randomUUID().toString();
        String newerId = UUID.randomUUID().toString();
        insertOrder(olderId, saleId, first.id(), older);
        insertOrder(newerId, saleId, second.id(), older.plusSeconds(5));

        given().header("Authorization", users.admin().bearer()).get("/api/admin/sales/" + saleId + "/stats")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("saleId", equalTo((int) saleId))
                .body("status", equalTo("LIVE"))
                .body("stock", equalTo(10))
                .body("unitsLeft", equalTo(7))
                .body("unitsHeld", equalTo(1))
                .body("unitsSold", equalTo(2))
                .body("ordersAccepted", equalTo(2))
                .body("latestOrders", hasSize(2))
                .body("latestOrders[0].id", equalTo(newerId))
                .body("latestOrders[1].id", equalTo(olderId))
                .body("latestOrders[0].userId", equalTo((int) second.id()));
    }

    @Test
    void aSaleNeverArmedShowsItsWholeStockAndNoOrders() {
        long saleId = sales.upcoming(5, 1);

        given().header("Authorization", users.admin().bearer()).get("/api/admin/sales/" + saleId + "/stats")
                .then().statusCode(200)
                .body("status", equalTo("UPCOMING"))
                .body("unitsLeft", equalTo(5))
                .body("unitsHeld", equalTo(0))
                .body("unitsSold", equalTo(0))
                .body("ordersAccepted", equalTo(0))
                .body("latestOrders", hasSize(0));
        assertEquals(0, stores.keys(saleId).size(), "reading stats writes no Redis key");
    }

    @Test
    void statsAreForAdminsOnlyAndUnknownSalesAreNotFound() {
        long saleId = sales.live(5, 1);

        assertProblem(given().get("/api/admin/sales/" + saleId + "/stats").then(), 401, "not-authenticated");
        assertProblem(given().header("Authorization", users.shopper().bearer())
                .get("/api/admin/sales/" + saleId + "/stats").then(), 403, "forbidden");
        assertProblem(given().header("Authorization", users.admin().bearer())
                .get("/api/admin/sales/987654321/stats").then(), 404, "not-found");
    }

    private static String buy(TestUser shopper, long saleId, int quantity) {
        return given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("quantity", quantity)).post("/api/sales/" + saleId + "/purchase")
                .then().statusCode(202).extract().path("orderId");
    }

    private void insertOrder(String id, long saleId, long userId, Instant createdAt) {
        LocalDateTime at = LocalDateTime.ofInstant(createdAt, ZoneOffset.UTC);
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at)
                VALUES (?, ?, ?, 1, 1999, 1999, 'EUR', 'PENDING_PAYMENT', ?, ?)""", id, saleId, userId, at.plusMinutes(5), at);
    }
}
