package io.miaosha.api.arming;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled-start function's arming endpoints, with the key %test configures. The sales under
 * test open 30 minutes out, past the auto-armer's 10-minute horizon, so only these calls arm them.
 */
@QuarkusTest
class ArmingResourceTest {

    static final String KEY = "test-arming-key";

    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    private long soon;
    private long later;

    @BeforeEach
    void createSales() {
        Instant now = TestSales.now();
        soon = sales.create(6, 2, now.plusSeconds(30 * 60), now.plusSeconds(90 * 60), false);
        later = sales.create(6, 2, now.plusSeconds(3 * 3600), now.plusSeconds(4 * 3600), false);
    }

    @Test
    void armingUpcomingLoadsTheLiveAndSoonOpeningSalesAndAnswersWhichTheyAre() {
        long live = sales.live(4, 1);
        long cancelled = sales.create(6, 2, TestSales.now().plusSeconds(20 * 60), TestSales.now().plusSeconds(3600), true);

        withKey(KEY).post("/api/internal/arming/upcoming?lookaheadMinutes=60").then().statusCode(200)
                .body("lookaheadMinutes", equalTo(60))
                .body("armed", equalTo(true))
                .body("sales.id", hasItems(id(soon), id(live)))
                .body("sales.id", not(hasItem(id(later))))
                .body("sales.id", not(hasItem(id(cancelled))))
                .body("sales.find { it.id == " + soon + " }.live", equalTo(false))
                .body("sales.find { it.id == " + live + " }.live", equalTo(true));

        assertArmed(soon, 6);
        assertArmed(live, 4);
        assertNotArmed(later);
        assertNotArmed(cancelled);
    }

    @Test
    void listingUpcomingAnswersTheSameSalesAndArmsNothing() {
        withKey(KEY).get("/api/internal/arming/upcoming?lookaheadMinutes=60").then().statusCode(200)
                .body("armed", equalTo(false))
                .body("sales.id", hasItem(id(soon)))
                .body("sales.id", not(hasItem(id(later))));

        assertNotArmed(soon);
    }

    @Test
    void armingOneSaleLoadsItsHotStateEvenBeyondAnyLookahead() {
        withKey(KEY).post("/api/internal/arming/sales/" + later).then().statusCode(200)
                .body("id", equalTo(id(later))).body("live", equalTo(false));

        assertArmed(later, 6);
        assertNotArmed(soon);
    }

    @Test
    void armingAnUnknownSaleIsNotFoundAndArmsNothing() {
        assertProblem(withKey(KEY).post("/api/internal/arming/sales/999999999999").then(), 404, "not-found");
        assertTrue(stores.keys(999_999_999_999L).isEmpty());
    }

    @Test
    void aWrongKeyIsForbiddenAndArmsNothing() {
        assertProblem(withKey("not-the-key").post("/api/internal/arming/upcoming?lookaheadMinutes=60").then(), 403, "arming-key-invalid");
        assertProblem(withKey(KEY + "x").get("/api/internal/arming/upcoming?lookaheadMinutes=60").then(), 403, "arming-key-invalid");
        assertProblem(withKey("not-the-key").post("/api/internal/arming/sales/" + soon).then(), 403, "arming-key-invalid");

        assertNotArmed(soon);
    }

    @Test
    void noKeyIsUnauthorizedAndArmsNothing() {
        assertProblem(given().post("/api/internal/arming/upcoming?lookaheadMinutes=60").then(), 401, "arming-key-required")
                .body("detail", containsString(ArmingKeyCheck.HEADER));
        assertProblem(withKey(" ").post("/api/internal/arming/sales/" + soon).then(), 401, "arming-key-required");
        // A session token is no substitute for the key.
        assertProblem(given().header("Authorization", "Bearer " + KEY).post("/api/internal/arming/sales/" + soon).then(),
                401, "arming-key-required");

        assertNotArmed(soon);
    }

    @Test
    void aBadLookaheadIsRefusedNamingTheParameterAndArmsNothing() {
        for (String bad : Arrays.asList("0", "-5", "1441", "abc", "1.5", "", null)) {
            RequestSpecification request = withKey(KEY);
            if (bad != null) {
                request = request.queryParam("lookaheadMinutes", bad);
            }
            assertProblem(request.post("/api/internal/arming/upcoming").then(), 400, "invalid-request")
                    .body("detail", containsString("lookaheadMinutes"))
                    .body("errors.field", equalTo(List.of("lookaheadMinutes")));
        }

        assertNotArmed(soon);
    }

    @Test
    void theKeyIsCheckedBeforeTheInput() {
        assertProblem(withKey("not-the-key").post("/api/internal/arming/upcoming?lookaheadMinutes=abc").then(), 403, "arming-key-invalid");
    }

    /** JSON numbers this small come back as Integer. */
    private static int id(long saleId) {
        return Math.toIntExact(saleId);
    }

    static RequestSpecification withKey(String key) {
        return given().header(ArmingKeyCheck.HEADER, key);
    }

    private void assertArmed(long saleId, long stock) {
        assertEquals(stock, stores.stock(saleId));
        assertEquals("scheduled", stores.meta(saleId).get("state"));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND armed_at IS NOT NULL", saleId));
    }

    private void assertNotArmed(long saleId) {
        assertEquals(List.of(), stores.keys(saleId));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND armed_at IS NULL", saleId));
    }
}
