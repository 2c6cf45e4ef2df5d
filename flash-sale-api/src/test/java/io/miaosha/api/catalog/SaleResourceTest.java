package io.miaosha.api.catalog;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.common.order.OrderIds;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SaleResourceTest {

    @Inject
    TestSales sales;
    @Inject
    TestUsers users;
    @Inject
    Stores stores;

    @Test
    void saleShowsItsTermsStatusAndUnitsLeft() {
        long id = sales.live(5, 2);

        given().get("/api/sales/" + id).then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo((int) id))
                .body("status", equalTo("LIVE"))
                .body("stock", equalTo(5))
                .body("unitsLeft", equalTo(5))
                .body("perUserLimit", equalTo(2))
                .body("price.amountMinor", equalTo(1999))
                .body("price.currency", equalTo("EUR"))
                .body("product.name", equalTo("Test sneaker"))
                .body("holdSeconds", equalTo(300))
                .body("opensAt", not(emptyOrNullString()));
    }

    @Test
    void statusFollowsTheSalesLifecycle() {
        assertStatus(sales.upcoming(5, 2), "UPCOMING");
        assertStatus(sales.ended(5, 2), "ENDED");
        assertStatus(sales.cancelled(5, 2), "CANCELLED");
        assertStatus(sales.live(5, 2), "LIVE");
    }

    @Test
    void unitsLeftFollowRedisAndASaleWithNoneLeftIsSoldOut() {
        long id = sales.live(3, 3);
        TestUser shopper = users.shopper();

        buy(shopper, id, 2);
        given().get("/api/sales/" + id).then().statusCode(200).body("unitsLeft", equalTo(1)).body("status", equalTo("LIVE"));

        buy(shopper, id, 1);
        given().get("/api/sales/" + id).then().statusCode(200).body("unitsLeft", equalTo(0)).body("status", equalTo("SOLD_OUT"));
    }

    @Test
    void withoutHotStateUnitsLeftAreWhatMySqlHasNotCommitted() {
        TestUser shopper = users.shopper();
        long live = sales.live(5, 5);
        insertOrder(live, shopper, 2, "PAID");
        insertOrder(live, shopper, 1, "PENDING_PAYMENT");
        insertOrder(live, shopper, 1, "EXPIRED");
        sales.forgetHotState(live);
        given().get("/api/sales/" + live).then().statusCode(200).body("unitsLeft", equalTo(2)).body("status", equalTo("LIVE"));

        long retired = sales.ended(4, 4);
        insertOrder(retired, shopper, 4, "PAID");
        sales.forgetHotState(retired);
        given().get("/api/sales/" + retired).then().statusCode(200).body("unitsLeft", equalTo(0)).body("status", equalTo("ENDED"));

        long upcoming = sales.upcoming(3, 1);
        given().get("/api/sales/" + upcoming).then().statusCode(200).body("unitsLeft", equalTo(3));
    }

    private void insertOrder(long saleId, TestUser user, int quantity, String status) {
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at)
                VALUES (?, ?, ?, ?, 1999, ?, 'EUR', ?, ?, ?)""",
                OrderIds.next(), saleId, user.id(), quantity, 1999L * quantity, status,
                TestSales.utc(TestSales.now().plusSeconds(300)), TestSales.utc(TestSales.now()));
    }

    @Test
    void saleIsCacheableForACoupleOfSecondsAndRevalidatesWithItsETag() {
        long id = sales.live(5, 2);

        var first = given().get("/api/sales/" + id).then().statusCode(200)
                .header("Cache-Control", containsString("max-age=2"))
                .header("Cache-Control", containsString("s-maxage=2"))
                .header("ETag", not(emptyOrNullString()))
                .extract();
        String etag = first.header("ETag");

        given().header("If-None-Match", etag).get("/api/sales/" + id).then()
                .statusCode(304)
                .header("ETag", equalTo(etag))
                .header("Cache-Control", containsString("max-age=2"));

        buy(users.shopper(), id, 1);
        String changed = given().header("If-None-Match", etag).get("/api/sales/" + id).then()
                .statusCode(200).body("unitsLeft", equalTo(4)).extract().header("ETag");
        assertNotEquals(etag, changed, "units left changed, so must the tag");
    }

    @Test
    void listingShowsCurrentSalesSoonestFirstWithETagAndCacheControl() {
        // The listing is capped (200) and the test database is shared, so these sales opened long
        // ago: they sort ahead of whatever other suites created.
        Instant now = TestSales.now();
        Instant longAgo = now.minus(Duration.ofDays(3650));
        long live = sales.create(5, 2, longAgo, now.plusSeconds(3600), false);
        long ended = sales.create(5, 2, longAgo.minusSeconds(1), now.minusSeconds(3600), false);
        long endedLongAgo = sales.create(5, 2, longAgo.minusSeconds(2), now.minus(Duration.ofDays(2)), false);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/api/sales").then().statusCode(200)
                .body("id", hasItem((int) live))
                .body("id", hasItem((int) ended))
                .body("id", not(hasItem((int) endedLongAgo))));
        var listing = given().get("/api/sales").then().statusCode(200)
                .header("Cache-Control", containsString("max-age=2"))
                .header("ETag", not(emptyOrNullString()))
                .extract();
        List<Map<String, Object>> all = listing.path("$");
        assertTrue(all.size() <= 200);
        List<Instant> opens = all.stream().map(s -> Instant.parse((String) s.get("opensAt"))).toList();
        assertEquals(opens.stream().sorted().toList(), opens, "soonest first");
        assertEquals("LIVE", statusOf(all, live));
        assertEquals("ENDED", statusOf(all, ended));

        given().header("If-None-Match", listing.header("ETag")).get("/api/sales").then().statusCode(oneOf(200, 304));
    }

    private static String statusOf(List<Map<String, Object>> listing, long id) {
        return listing.stream().filter(s -> ((Number) s.get("id")).longValue() == id)
                .map(s -> (String) s.get("status")).findFirst().orElseThrow();
    }

    @Test
    void unknownSaleIsANotFoundProblem() {
        assertProblem(given().get("/api/sales/999999999999").then(), 404, "not-found");
    }

    @Test
    void saleIdThatIsNotANumberIsAnInvalidRequestProblem() {
        // Issue 11: an id that is not plain digits is a clear 400 naming the value, no longer a bare 404.
        assertProblem(given().get("/api/sales/abc").then(), 400, "invalid-request");
        assertProblem(given().get("/api/sales/1.5").then(), 400, "invalid-request");
    }

    private static void assertStatus(long id, String status) {
        given().get("/api/sales/" + id).then().statusCode(200).body("status", equalTo(status));
    }

    static void buy(TestUser shopper, long saleId, int quantity) {
        given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("quantity", quantity))
                .post("/api/sales/" + saleId + "/purchase").then().statusCode(202);
    }
}
