package io.miaosha.api.purchase;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderIds;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class PurchaseResourceTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void acceptedPurchaseAnswers202WithTheOrderAndHoldsTheUnitsInRedis() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        Instant before = Instant.now();

        var answer = purchase(shopper, saleId, "{\"quantity\":2}", null).then().statusCode(202)
                .contentType(ContentType.JSON)
                .body("saleId", equalTo((int) saleId))
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("quantity", equalTo(2))
                .extract();

        String orderId = answer.path("orderId");
        assertTrue(OrderIds.isValid(orderId), "a UUIDv7 order id: " + orderId);
        String tail = orderId.substring(orderId.length() - 8).toUpperCase(java.util.Locale.ROOT);
        assertEquals(tail.substring(0, 4) + "-" + tail.substring(4), answer.path("shortCode"), "the code a person reads out");
        assertTrue(answer.header("Location").endsWith("/api/orders/" + orderId));
        Instant payBy = Instant.parse(answer.path("payBy"));
        assertTrue(!payBy.isBefore(before.plusSeconds(300)) && payBy.isBefore(Instant.now().plusSeconds(301)),
                "pay within the sale's hold time: " + payBy);
        assertEquals(8, stores.stock(saleId));
        assertEquals(Map.of(Long.toString(shopper.id()), "2"), stores.userUnits(saleId));
        assertEquals(shopper.id() + "|2|" + payBy.toEpochMilli() + "|PENDING", stores.holds(saleId).get(orderId));
        assertEquals(1, stores.holdDeadlines(saleId));
        assertEquals(1, stores.outboxEntriesAdded(saleId));
    }

    @Test
    void sameIdempotencyKeyGetsTheSameAnswerAndWritesNothingMore() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        Map<String, Object> first = purchase(shopper, saleId, "{\"quantity\":1}", "retry-1").then().statusCode(202)
                .extract().as(Map.class);
        String state = stores.snapshot(saleId);

        Map<String, Object> again = purchase(shopper, saleId, "{\"quantity\":1}", "retry-1").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/orders/" + first.get("orderId")))
                .extract().as(Map.class);

        assertEquals(first, again);
        assertEquals(state, stores.snapshot(saleId));
        assertEquals(1, stores.holds(saleId).size());
        purchase(shopper, saleId, "{\"quantity\":1}", "retry-2").then().statusCode(202);
        assertEquals(2, stores.holds(saleId).size(), "another key is another order");
    }

    @Test
    void unknownSaleIsNotFoundAndLeavesNoKeys() {
        long unknown = 999_999_999_998L;

        assertProblem(purchase(users.shopper(), unknown, "{\"quantity\":1}", "k").then(), 404, "not-found");

        assertTrue(stores.keys(unknown).isEmpty());
    }

    @Test
    void saleNotOpenYetIsForbiddenWithItsOpeningTimeAndHoldsNothing() {
        long saleId = sales.upcoming(10, 2);
        String opensAt = given().get("/api/sales/" + saleId).then().extract().path("opensAt");

        assertProblem(purchase(users.shopper(), saleId, "{\"quantity\":1}", "k").then(), 403, "sale-not-open")
                .body("opensAt", equalTo(opensAt));

        assertNothingHeld(saleId, 10);
    }

    @Test
    void endedSaleIsGone() {
        long saleId = sales.ended(10, 2);

        assertProblem(purchase(users.shopper(), saleId, "{\"quantity\":1}", "k").then(), 410, "sale-closed");

        assertNothingHeld(saleId, 10);
    }

    @Test
    void cancelledSaleIsGone() {
        long saleId = sales.cancelled(10, 2);

        assertProblem(purchase(users.shopper(), saleId, "{\"quantity\":1}", "k").then(), 410, "sale-closed");

        assertNothingHeld(saleId, 10);
    }

    @Test
    void soldOutSaleIsAConflictAndHoldsNoMore() {
        long saleId = sales.live(1, 2);
        purchase(users.shopper(), saleId, "{\"quantity\":1}", null).then().statusCode(202);

        assertProblem(purchase(users.shopper(), saleId, "{\"quantity\":1}", "k").then(), 409, "sold-out")
                .body("unitsLeft", equalTo(0));

        assertEquals(1, stores.holds(saleId).size());
        assertEquals(0, stores.stock(saleId));
    }

    @Test
    void askingForMoreThanIsLeftIsAConflictNamingWhatIsLeft() {
        long saleId = sales.live(3, 3);
        purchase(users.shopper(), saleId, "{\"quantity\":2}", null).then().statusCode(202);
        String state = stores.snapshot(saleId);

        assertProblem(purchase(users.shopper(), saleId, "{\"quantity\":2}", "k").then(), 409, "not-enough-stock")
                .body("unitsLeft", equalTo(1));

        assertEquals(state, stores.snapshot(saleId));
    }

    @Test
    void purchaseBeyondLimitIsRefusedAndWritesNothing() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        purchase(shopper, saleId, "{\"quantity\":1}", null).then().statusCode(202);
        String state = stores.snapshot(saleId);

        assertProblem(purchase(shopper, saleId, "{\"quantity\":2}", "k").then(), 409, "limit-reached")
                .body("unitsHeld", equalTo(1)).body("limit", equalTo(2));

        assertEquals(state, stores.snapshot(saleId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"quantity\":0}", "{\"quantity\":-1}", "{\"quantity\":11}", "{\"quantity\":2147483647}",
            "{\"quantity\":2147483648}", "{\"quantity\":99999999999999999999}", "{\"quantity\":2.5}", "{\"quantity\":1.0}",
            "{\"quantity\":\"1\"}", "{\"quantity\":true}", "{\"quantity\":null}", "{}", "{\"quantity\":1,\"price\":1}",
            "{\"quantity\":[1]}", "{\"quantity\":1", "{quantity:1}", "[]", "null", "\"1\"", "1", "{\"quantity\":1}{}", " "})
    void badQuantityOrBodyIsRefusedAndWritesNothing(String body) {
        long saleId = armedLiveSale();
        String state = stores.snapshot(saleId);

        assertProblem(purchase(users.shopper(), saleId, body, "k").then(), 400, "invalid-request");

        assertEquals(state, stores.snapshot(saleId));
    }

    @Test
    void emptyBodyOrWrongContentTypeIsRefusedAndWritesNothing() {
        long saleId = armedLiveSale();
        TestUser shopper = users.shopper();
        String state = stores.snapshot(saleId);

        assertProblem(given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .post("/api/sales/" + saleId + "/purchase").then(), 400, "invalid-request");
        assertProblem(given().header("Authorization", shopper.bearer()).contentType(ContentType.TEXT).body("quantity=1")
                .post("/api/sales/" + saleId + "/purchase").then(), 415, null);

        assertEquals(state, stores.snapshot(saleId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "x/y", "ключ", "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void invalidIdempotencyKeyIsRefusedAndWritesNothing(String key) {
        long saleId = armedLiveSale();
        String state = stores.snapshot(saleId);

        assertProblem(purchase(users.shopper(), saleId, "{\"quantity\":1}", key).then(), 400, "invalid-request");

        assertEquals(state, stores.snapshot(saleId));
    }

    @Test
    void purchaseWithoutAValidSessionIsUnauthorisedAndWritesNothing() {
        long saleId = armedLiveSale();
        TestUser shopper = users.shopper();
        String state = stores.snapshot(saleId);
        String[] broken = {
                SessionTokens.dev().expired(shopper.id(), shopper.email(), "shopper"),
                SessionTokens.forged(shopper.id(), shopper.email(), "shopper"),
                SessionTokens.algNone(shopper.id(), shopper.email(), "shopper"),
                SessionTokens.dev().tampered(shopper.id(), shopper.email()),
                "garbage"};

        assertProblem(given().contentType(ContentType.JSON).body("{\"quantity\":1}")
                .post("/api/sales/" + saleId + "/purchase").then(), 401, "not-authenticated");
        for (String token : broken) {
            assertProblem(given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase").then(), 401, "not-authenticated");
        }

        assertEquals(state, stores.snapshot(saleId));
    }

    private void assertNothingHeld(long saleId, long stock) {
        assertTrue(stores.holds(saleId).isEmpty());
        assertTrue(stores.userUnits(saleId).isEmpty());
        assertEquals(0, stores.outboxEntriesAdded(saleId));
        assertEquals(stock, stores.stock(saleId) == null ? stock : stores.stock(saleId));
        assertTrue(stores.keys(saleId).stream().noneMatch(key -> key.contains(":idem:")));
    }

    /** A live sale already armed (with one unit sold), so refusals can be compared against a full picture. */
    private long armedLiveSale() {
        long saleId = sales.live(10, 2);
        purchase(users.shopper(), saleId, "{\"quantity\":1}", "seed").then().statusCode(202);
        return saleId;
    }

    static io.restassured.response.Response purchase(TestUser shopper, long saleId, String body, String idempotencyKey) {
        RequestSpecification request = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/sales/" + saleId + "/purchase");
    }
}
