package io.miaosha.api.purchase;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sale for verified email accounts only refuses a purchase from a session that does not say its
 * email is confirmed, on the REST path and on the fast path alike, and writes nothing; the same sale
 * sells to a verified session, and a sale without the flag to anyone.
 */
@QuarkusTest
class VerifiedEmailOnlyPurchaseTest {

    @Inject
    TestSales sales;
    @Inject
    TestUsers users;
    @Inject
    Stores stores;
    @Inject
    Pool db;

    @Test
    void anUnverifiedSessionIsRefusedWith403AndNothingIsHeld() {
        long sale = sales.liveVerifiedOnly(5, 2, 0);
        TestUser shopper = users.shopper();
        // The first request goes through the REST layer, the next ones through the fast path (token trusted).
        for (int attempt = 0; attempt < 3; attempt++) {
            assertProblem(buy(sale, shopper.token()), 403, "email-not-verified")
                    .body("detail", containsString("This sale is for accounts with a confirmed email."));
        }
        assertEquals(5L, stores.stock(sale));
        assertTrue(stores.holds(sale).isEmpty(), "no hold: " + stores.holds(sale));
        assertTrue(stores.userUnits(sale).isEmpty());
        assertEquals(0, stores.outboxLength(sale));
        assertEquals("1", stores.meta(sale).get("verified_only"), "armed with the flag");
    }

    @Test
    void aVerifiedSessionBuysFromTheSameKindOfSale() {
        long sale = sales.liveVerifiedOnly(5, 2, 0);
        TestUser shopper = users.shopper();
        db.preparedQuery("UPDATE users SET email_verified_at = ? WHERE id = ?")
                .execute(Tuple.of(LocalDateTime.now(ZoneOffset.UTC), shopper.id())).await().atMost(Duration.ofSeconds(5));
        String verified = given().contentType(ContentType.JSON).body(Map.of("email", shopper.email(), "password", TestUsers.PASSWORD))
                .post("/api/auth/login").then().statusCode(200).extract().path("token");

        buy(sale, verified).statusCode(202);
        buy(sale, verified).statusCode(202);
        assertEquals(3L, stores.stock(sale));
    }

    @Test
    void aSaleWithoutTheFlagSellsToAnUnverifiedSession() {
        long sale = sales.live(5, 2);
        buy(sale, users.shopper().token()).statusCode(202);
        assertEquals(4L, stores.stock(sale));
        assertEquals(null, stores.meta(sale).get("verified_only"));
    }

    private static ValidatableResponse buy(long sale, String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("quantity", 1))
                .post("/api/sales/" + sale + "/purchase").then();
    }
}
