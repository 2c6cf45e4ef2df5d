package io.miaosha.api.orders;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderIds;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Order rows are inserted straight into MySQL: in production the order-worker writes them. */
@QuarkusTest
class OrderResourceTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    private long saleId;
    private TestUser owner;

    @BeforeEach
    void saleAndOwner() {
        saleId = sales.live(10, 5);
        owner = users.shopper();
    }

    @Test
    void ownerSeesTheirOrder() {
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String orderId = insertOrder(owner, 2, createdAt);

        given().header("Authorization", owner.bearer()).get("/api/orders/" + orderId).then().statusCode(200)
                .body("id", equalTo(orderId))
                .body("shortCode", equalTo(readOutCode(orderId)))
                .body("saleId", equalTo((int) saleId))
                .body("userId", equalTo((int) owner.id()))
                .body("quantity", equalTo(2))
                .body("unitPriceMinor", equalTo(1999))
                .body("totalMinor", equalTo(3998))
                .body("currency", equalTo("EUR"))
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("createdAt", equalTo(createdAt.toString()))
                .body("payBy", equalTo(createdAt.plusSeconds(300).toString()))
                .body("saleTitle", equalTo("Test drop"))
                .body("productName", equalTo("Test sneaker"))
                .body("productImageUrl", nullValue());
    }

    @Test
    void adminSeesAnyOrder() {
        String orderId = insertOrder(owner, 1, Instant.now());

        given().header("Authorization", users.admin().bearer()).get("/api/orders/" + orderId).then().statusCode(200)
                .body("userId", equalTo((int) owner.id()));
    }

    @Test
    void someoneElsesOrderLooksExactlyLikeAMissingOne() {
        String orderId = insertOrder(owner, 1, Instant.now());
        TestUser stranger = users.shopper();

        var theirs = assertProblem(given().header("Authorization", stranger.bearer()).get("/api/orders/" + orderId).then(),
                404, "not-found").extract().jsonPath();
        String missingId = OrderIds.next();
        var missing = assertProblem(given().header("Authorization", stranger.bearer()).get("/api/orders/" + missingId).then(),
                404, "not-found").extract().jsonPath();

        assertEquals(theirs.getString("detail").replace(orderId, "ID"), missing.getString("detail").replace(missingId, "ID"));
    }

    @Test
    void malformedOrderIdIsNotFound() {
        for (String id : new String[] {"123", "not-a-uuid", "00000000-0000-4000-8000-000000000000", "%27%20OR%201%3D1"}) {
            assertProblem(given().header("Authorization", owner.bearer()).urlEncodingEnabled(false)
                    .get("/api/orders/" + id).then(), 404, "not-found");
        }
    }

    @Test
    void ordersNeedAValidSession() {
        String orderId = insertOrder(owner, 1, Instant.now());

        assertProblem(given().get("/api/orders/" + orderId).then(), 401, "not-authenticated");
        assertProblem(given().get("/api/me/orders").then(), 401, "not-authenticated");
        assertProblem(given().header("Authorization", "Bearer " + SessionTokens.forged(owner.id(), owner.email(), "admin"))
                .get("/api/orders/" + orderId).then(), 401, "not-authenticated");
        assertProblem(given().header("Authorization", "Bearer " + SessionTokens.algNone(owner.id(), owner.email(), "admin"))
                .get("/api/me/orders").then(), 401, "not-authenticated");
    }

    /** "…-89ab-cdef01234567" reads out as "0123-4567": the id's last 8 hex digits, upper case, in two groups. */
    static String readOutCode(String orderId) {
        String tail = orderId.substring(orderId.length() - 8).toUpperCase(java.util.Locale.ROOT);
        return tail.substring(0, 4) + "-" + tail.substring(4);
    }

    @Test
    void myOrdersListsOnlyMineNewestFirst() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String older = insertOrder(owner, 1, now.minusSeconds(60));
        String newer = insertOrder(owner, 2, now);
        insertOrder(users.shopper(), 1, now);

        given().header("Authorization", owner.bearer()).get("/api/me/orders").then().statusCode(200)
                .body("id", contains(newer, older))
                .body("shortCode", contains(readOutCode(newer), readOutCode(older)))
                .body("productName", contains("Test sneaker", "Test sneaker"));
        given().header("Authorization", owner.bearer()).queryParam("limit", 1).get("/api/me/orders").then().statusCode(200)
                .body("id", contains(newer));
        given().header("Authorization", users.shopper().bearer()).get("/api/me/orders").then().statusCode(200)
                .body("$", hasSize(0));
    }

    @Test
    void myOrdersRefusesALimitOutOfRange() {
        for (String limit : new String[] {"0", "-1", "201"}) {
            assertProblem(given().header("Authorization", owner.bearer()).queryParam("limit", limit)
                    .get("/api/me/orders").then(), 400, "invalid-request");
        }
    }

    private String insertOrder(TestUser user, int quantity, Instant createdAt) {
        String orderId = OrderIds.next();
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at)
                VALUES (?, ?, ?, ?, 1999, ?, 'EUR', 'PENDING_PAYMENT', ?, ?)""",
                orderId, saleId, user.id(), quantity, 1999L * quantity, TestSales.utc(createdAt.plusSeconds(300)),
                TestSales.utc(createdAt));
        return orderId;
    }
}
