package io.miaosha.api.catalog;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SaleResourceTest {

    @Inject
    TestSales sales;
    @Inject
    TestUsers users;

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
    void listingShowsCurrentSalesWithETagAndCacheControl() {
        long live = sales.live(5, 2);
        long upcoming = sales.upcoming(5, 2);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/api/sales").then().statusCode(200)
                .body("id", hasItem((int) live))
                .body("id", hasItem((int) upcoming)));
        var listing = given().get("/api/sales").then().statusCode(200)
                .header("Cache-Control", containsString("max-age=2")).extract();
        String etag = listing.header("ETag");
        List<Map<String, Object>> all = listing.path("$");
        all.stream().filter(s -> ((Number) s.get("id")).longValue() == live).findFirst()
                .ifPresent(s -> org.junit.jupiter.api.Assertions.assertEquals("LIVE", s.get("status")));

        given().header("If-None-Match", etag).get("/api/sales").then().statusCode(org.hamcrest.Matchers.oneOf(200, 304));
    }

    @Test
    void unknownSaleIsANotFoundProblem() {
        assertProblem(given().get("/api/sales/999999999999").then(), 404, "not-found");
    }

    @Test
    void saleIdThatIsNotANumberIsANotFoundProblem() {
        assertProblem(given().get("/api/sales/abc").then(), 404, null);
        assertProblem(given().get("/api/sales/1.5").then(), 404, null);
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
