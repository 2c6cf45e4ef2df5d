package io.miaosha.api.http;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.StoreDigest;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A query parameter given twice is a 400 naming it, and the request does nothing. */
@QuarkusTest
class RepeatedQueryParametersTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    StoreDigest stores;

    @Test
    void aRepeatedQueryParameterIsRefusedWithAProblemNamingIt() {
        assertProblem(given().header("Authorization", users.shopper().bearer())
                .get("/api/me/orders?limit=1&limit=200").then(), 400, "invalid-request")
                .body("detail", containsString("'limit'"))
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void armingWithARepeatedLookaheadArmsNothing() {
        // Opens in 12 minutes: past the auto-armer's 10-minute horizon, so only a request that took
        // lookaheadMinutes=15 would arm it. The whole keyspace is not compared: the auto-armer arms
        // other tests' sales in the background whatever this request does.
        Instant now = TestSales.now();
        long sale = sales.create(5, 1, now.plusSeconds(720), now.plusSeconds(3600), false);
        Map<String, String> tablesBefore = stores.take().tables();

        assertProblem(given().header("X-Miaosha-Arming-Key", "test-arming-key")
                .post("/api/internal/arming/upcoming?lookaheadMinutes=15&lookaheadMinutes=1").then(), 400, "invalid-request");

        assertEquals(List.of(), sales.hotState(sale));
        assertEquals(tablesBefore, stores.take().tables());
    }

    @Test
    void aSingleQueryParameterStillWorks() {
        given().header("Authorization", users.shopper().bearer()).get("/api/me/orders?limit=5").then().statusCode(200);
    }
}
