package io.miaosha.api.admin;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;
import java.util.stream.Stream;

/**
 * Sale dates are range-checked before the database sees them: a year the database cannot store
 * (-1, 10000) used to be written as a zero date while the API answered 500, and that row then broke
 * the storefront for everyone. Each is a 400 naming the field, on create and on update, and writes nothing.
 */
@QuarkusTest
class SaleDatesTest {

    private static final String OPENS = "2031-01-01T10:00:00Z";
    private static final String CLOSES = "2031-01-01T11:00:00Z";

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    static Stream<Arguments> outOfRangeDates() {
        return Stream.of(
                Arguments.of("-0001-01-01T00:00:00Z", CLOSES, "opensAt"),
                Arguments.of("0000-01-01T00:00:00Z", CLOSES, "opensAt"),
                Arguments.of("1000-01-01T00:00:00Z", CLOSES, "opensAt"),
                Arguments.of("1999-12-31T23:59:59.999Z", CLOSES, "opensAt"),
                Arguments.of("-999999999-01-01T00:00:00Z", CLOSES, "opensAt"),
                Arguments.of(OPENS, "+10000-01-01T00:00:00Z", "closesAt"),
                Arguments.of(OPENS, "+1000000000-01-01T00:00:00Z", "closesAt"),
                Arguments.of(OPENS, "-0001-01-01T00:00:00Z", "closesAt"),
                Arguments.of(OPENS, OPENS, "closesAt"),
                Arguments.of(CLOSES, OPENS, "closesAt"),
                // Finer than milliseconds is cut to milliseconds, so these two are the same instant.
                Arguments.of("2031-01-01T10:00:00.0001Z", "2031-01-01T10:00:00.0009Z", "closesAt"));
    }

    @ParameterizedTest(name = "opensAt {0}, closesAt {1}")
    @MethodSource("outOfRangeDates")
    void outOfRangeDatesAreRefusedOnCreateAndWriteNothing(String opensAt, String closesAt, String field) {
        TestUser admin = users.admin();
        long productId = sales.product();
        Map<String, Long> before = stores.tableCounts();

        assertProblem(given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(body(productId, opensAt, closesAt)).post("/api/admin/sales").then(), 400, "invalid-request")
                .body("detail", containsString(field))
                .body("errors.field", org.hamcrest.Matchers.hasItem(field));

        assertEquals(before, stores.tableCounts());
    }

    @ParameterizedTest(name = "opensAt {0}, closesAt {1}")
    @MethodSource("outOfRangeDates")
    void outOfRangeDatesAreRefusedOnUpdateAndChangeNothing(String opensAt, String closesAt, String field) {
        TestUser admin = users.admin();
        long saleId = sales.upcoming(5, 1);
        long productId = stores.count("SELECT product_id FROM sales WHERE id = ?", saleId);
        Map<String, Long> before = stores.tableCounts();
        String redisBefore = stores.snapshot(saleId);

        assertProblem(given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(body(productId, opensAt, closesAt)).put("/api/admin/sales/" + saleId).then(), 400, "invalid-request")
                .body("detail", containsString(field));

        assertEquals(before, stores.tableCounts());
        assertEquals(redisBefore, stores.snapshot(saleId));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void theEdgesOfTheRangeAreAcceptedAndStoredAsSent(String opensAt, String closesAt, String storedOpensAt) {
        TestUser admin = users.admin();
        long productId = sales.product();

        int id = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(body(productId, opensAt, closesAt)).post("/api/admin/sales").then().statusCode(201)
                .extract().path("id");

        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND opens_at = ?", id, storedOpensAt));
        given().get("/api/sales/" + id).then().statusCode(200);
    }

    static Stream<Arguments> edges() {
        return Stream.of(
                Arguments.of("2000-01-01T00:00:00Z", "2000-01-01T00:00:01Z", "2000-01-01 00:00:00.000"),
                Arguments.of("9999-12-31T23:59:59.998Z", "9999-12-31T23:59:59.999Z", "9999-12-31 23:59:59.998"),
                Arguments.of("2031-01-01T10:00:00.123456789Z", CLOSES, "2031-01-01 10:00:00.123"));
    }

    private static Map<String, Object> body(long productId, String opensAt, String closesAt) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("productId", productId, "title", "Drop", "priceMinor", 100,
                "currency", "EUR", "stock", 5, "perUserLimit", 1, "queueCapacity", 10));
        body.put("opensAt", opensAt);
        body.put("closesAt", closesAt);
        return body;
    }
}
