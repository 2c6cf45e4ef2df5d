package io.miaosha.api.problem;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 8 across every endpoint: bad input gets a clear 4xx problem+json and writes nothing,
 * neither in MySQL (row counts, sale terms) nor in Redis (the sale's keys); never a 5xx.
 */
@QuarkusTest
class BadInputTest {

    private static final String SALE = "{sale}";
    private static final String PRODUCT = "{product}";
    private static final String VALID_SALE = "{\"productId\":" + PRODUCT + ",\"title\":\"T\",\"priceMinor\":100,\"currency\":\"EUR\","
            + "\"stock\":5,\"opensAt\":\"2031-01-01T10:00:00Z\",\"closesAt\":\"2031-01-01T11:00:00Z\",\"perUserLimit\":1,\"queueCapacity\":10}";

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    enum Caller { NOBODY, SHOPPER, ADMIN }

    record Endpoint(String method, String path, Caller caller) {
    }

    static final List<Endpoint> BODY_ENDPOINTS = List.of(
            new Endpoint("POST", "/api/auth/signup", Caller.NOBODY),
            new Endpoint("POST", "/api/auth/login", Caller.NOBODY),
            new Endpoint("POST", "/api/admin/products", Caller.ADMIN),
            new Endpoint("POST", "/api/admin/sales", Caller.ADMIN),
            new Endpoint("PUT", "/api/admin/sales/" + SALE, Caller.ADMIN),
            new Endpoint("POST", "/api/sales/" + SALE + "/purchase", Caller.SHOPPER));

    static final List<String> UNREADABLE_BODIES = List.of("{", "{\"a\":", "not json", "[1,2]", "null", "42", "\"text\"", "{}{}");

    static Stream<Arguments> unreadableBodies() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : BODY_ENDPOINTS) {
            for (String body : UNREADABLE_BODIES) {
                cases.add(Arguments.of(endpoint, body));
            }
            cases.add(Arguments.of(endpoint, ""));
        }
        return cases.stream();
    }

    /** Per endpoint: a wrong type, a missing field, an unknown field. */
    static Stream<Arguments> invalidFields() {
        String sale = VALID_SALE;
        return Stream.of(
                Arguments.of(BODY_ENDPOINTS.get(0), "{\"email\":42,\"password\":\"long-enough\"}"),
                Arguments.of(BODY_ENDPOINTS.get(0), "{\"email\":\"x@example.com\"}"),
                Arguments.of(BODY_ENDPOINTS.get(0), "{\"email\":\"x@example.com\",\"password\":\"long-enough\",\"role\":\"admin\"}"),
                Arguments.of(BODY_ENDPOINTS.get(0), "{\"email\":[\"x@example.com\"],\"password\":\"long-enough\"}"),
                Arguments.of(BODY_ENDPOINTS.get(1), "{\"email\":\"x@example.com\",\"password\":12345678}"),
                Arguments.of(BODY_ENDPOINTS.get(1), "{\"password\":\"long-enough\"}"),
                Arguments.of(BODY_ENDPOINTS.get(1), "{\"email\":\"x@example.com\",\"password\":\"long-enough\",\"otp\":1}"),
                Arguments.of(BODY_ENDPOINTS.get(2), "{\"sku\":5,\"name\":\"Tee\"}"),
                Arguments.of(BODY_ENDPOINTS.get(2), "{\"name\":\"Tee\"}"),
                Arguments.of(BODY_ENDPOINTS.get(2), "{\"sku\":\"s\",\"name\":\"Tee\",\"price\":1}"),
                Arguments.of(BODY_ENDPOINTS.get(3), sale.replace("\"stock\":5", "\"stock\":\"5\"")),
                Arguments.of(BODY_ENDPOINTS.get(3), sale.replace("\"stock\":5", "\"stock\":2.5")),
                Arguments.of(BODY_ENDPOINTS.get(3), sale.replace("\"priceMinor\":100", "\"priceMinor\":99999999999999999999")),
                Arguments.of(BODY_ENDPOINTS.get(3), sale.replace("\"opensAt\":\"2031-01-01T10:00:00Z\"", "\"opensAt\":\"tomorrow\"")),
                Arguments.of(BODY_ENDPOINTS.get(3), sale.replace("\"perUserLimit\":1,", "")),
                Arguments.of(BODY_ENDPOINTS.get(3), sale.replace("\"title\":\"T\"", "\"title\":\"T\",\"id\":1")),
                Arguments.of(BODY_ENDPOINTS.get(3), sale.replace("\"stock\":5", "\"stock\":null")),
                Arguments.of(BODY_ENDPOINTS.get(4), sale.replace("\"perUserLimit\":1", "\"perUserLimit\":\"1\"")),
                Arguments.of(BODY_ENDPOINTS.get(4), sale.replace("\"currency\":\"EUR\",", "")),
                Arguments.of(BODY_ENDPOINTS.get(4), sale.replace("\"title\":\"T\"", "\"title\":\"T\",\"cancelled\":true")),
                Arguments.of(BODY_ENDPOINTS.get(5), "{\"quantity\":\"1\"}"),
                Arguments.of(BODY_ENDPOINTS.get(5), "{\"quantity\":2.5}"),
                Arguments.of(BODY_ENDPOINTS.get(5), "{}"),
                Arguments.of(BODY_ENDPOINTS.get(5), "{\"quantity\":1,\"userId\":1}"));
    }

    static Stream<Arguments> adminEndpoints() {
        return Stream.of(
                Arguments.of(new Endpoint("POST", "/api/admin/products", Caller.ADMIN), "{\"sku\":\"x-" + System.nanoTime() + "\",\"name\":\"Tee\"}"),
                Arguments.of(new Endpoint("GET", "/api/admin/products", Caller.ADMIN), null),
                Arguments.of(new Endpoint("POST", "/api/admin/sales", Caller.ADMIN), VALID_SALE),
                Arguments.of(new Endpoint("PUT", "/api/admin/sales/" + SALE, Caller.ADMIN), VALID_SALE),
                Arguments.of(new Endpoint("POST", "/api/admin/sales/" + SALE + "/cancel", Caller.ADMIN), null),
                Arguments.of(new Endpoint("POST", "/api/admin/sales/" + SALE + "/arm", Caller.ADMIN), null));
    }

    @ParameterizedTest(name = "{0} with body [{1}]")
    @MethodSource("unreadableBodies")
    void unreadableBodyIsRefusedAndWritesNothing(Endpoint endpoint, String body) {
        assertRefusedAndNothingWritten(endpoint, endpoint.caller(), body, 400, "invalid-request");
    }

    @ParameterizedTest(name = "{0} with body {1}")
    @MethodSource("invalidFields")
    void wrongTypeMissingOrUnknownFieldIsRefusedAndWritesNothing(Endpoint endpoint, String body) {
        assertRefusedAndNothingWritten(endpoint, endpoint.caller(), body, 400, "invalid-request");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminEndpoints")
    void shopperCallingAnAdminEndpointIsForbiddenAndWritesNothing(Endpoint endpoint, String body) {
        assertRefusedAndNothingWritten(endpoint, Caller.SHOPPER, body, 403, "forbidden");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminEndpoints")
    void anonymousCallerOfAnAdminEndpointIsUnauthenticatedAndWritesNothing(Endpoint endpoint, String body) {
        assertRefusedAndNothingWritten(endpoint, Caller.NOBODY, body, 401, "not-authenticated");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminEndpoints")
    void forgedOrUnsignedAdminTokenIsUnauthenticatedAndWritesNothing(Endpoint endpoint, String body) {
        TestUser admin = users.admin();
        for (String token : List.of(SessionTokens.forged(admin.id(), admin.email(), "admin"),
                SessionTokens.algNone(admin.id(), admin.email(), "admin"),
                SessionTokens.dev().expired(admin.id(), admin.email(), "admin"))) {
            Fixture fixture = fixture();
            Map<String, Long> before = stores.tableCounts();
            String redisBefore = stores.snapshot(fixture.saleId());

            RequestSpecification request = given().header("Authorization", "Bearer " + token);
            assertProblem(send(request, endpoint, body, fixture), 401, "not-authenticated");

            assertEquals(before, stores.tableCounts());
            assertEquals(redisBefore, stores.snapshot(fixture.saleId()));
        }
    }

    @Test
    void unknownPathsAndMethodsAnswerProblemJson() {
        assertProblem(given().get("/api/nothing-here").then(), 404, null);
        assertProblem(given().contentType(ContentType.JSON).body("{}").delete("/api/sales/1").then(), 405, null);
        assertProblem(given().accept("application/xml").get("/api/sales/1").then(), 406, null);
    }

    private record Fixture(long saleId, long productId) {
    }

    private Fixture fixture() {
        long saleId = sales.live(10, 2);
        // One unit held, so the sale's Redis state is complete before the refused call.
        given().header("Authorization", users.shopper().bearer()).contentType(ContentType.JSON).body("{\"quantity\":1}")
                .post("/api/sales/" + saleId + "/purchase").then().statusCode(202);
        return new Fixture(saleId, stores.count("SELECT product_id FROM sales WHERE id = ?", saleId));
    }

    private void assertRefusedAndNothingWritten(Endpoint endpoint, Caller caller, String body, int status, String slug) {
        Fixture fixture = fixture();
        RequestSpecification request = given();
        switch (caller) {
            case SHOPPER -> request.header("Authorization", users.shopper().bearer());
            case ADMIN -> request.header("Authorization", users.admin().bearer());
            case NOBODY -> { }
        }
        Map<String, Long> before = stores.tableCounts();
        String redisBefore = stores.snapshot(fixture.saleId());

        assertProblem(send(request, endpoint, body, fixture), status, slug);

        assertEquals(before, stores.tableCounts(), "MySQL changed");
        assertEquals(redisBefore, stores.snapshot(fixture.saleId()), "Redis changed");
    }

    private static io.restassured.response.ValidatableResponse send(RequestSpecification request, Endpoint endpoint,
            String body, Fixture fixture) {
        String path = endpoint.path().replace(SALE, Long.toString(fixture.saleId()));
        if (body != null) {
            request.contentType(ContentType.JSON).body(body.replace(PRODUCT, Long.toString(fixture.productId())));
        }
        return request.request(endpoint.method(), path).then();
    }
}
