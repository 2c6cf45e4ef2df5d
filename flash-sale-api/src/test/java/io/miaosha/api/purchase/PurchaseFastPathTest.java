package io.miaosha.api.purchase;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A token's first purchase goes through the REST layer, which checks the session; its next ones,
 * within the re-check bound, through {@link PurchaseFastPath}. Each case here is sent both ways and
 * the answers compared whole: status, content type, body and the headers a client reads. The session
 * is trusted for a minute here (the test profile's two seconds would let a slow moment decide the path).
 */
@QuarkusTest
@TestProfile(PurchaseFastPathTest.LongerSessionTrust.class)
class PurchaseFastPathTest {

    public static class LongerSessionTrust implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.account.session-recheck", "PT1M");
        }
    }

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @Inject
    PurchaseFastPath fastPath;

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "{}", "{\"quantity\":0}", "{\"quantity\":-1}", "{\"quantity\":\"1\"}",
            "{\"quantity\":2.5}", "{\"quantity\":1,\"price\":1}", "{\"quantity\":1,\"quantity\":2}", "{\"quantity\":1",
            "[]", "{\"quantity\":1}{}", "{\"quantity\":99}", "{\"quantity\":3}"})
    void refusalsReadTheSameOnBothPathsAndWriteNothing(String body) {
        long saleId = sales.live(10, 2);
        purchase(users.shopper(), saleId, "{\"quantity\":1}", "seed").then().statusCode(202); // arms it: the whole picture
        TestUser shopper = users.shopper();
        String state = stores.snapshot(saleId);

        Response rest = viaRest(() -> purchase(shopper, saleId, body, "k1"));
        Response fast = viaFastPath(() -> purchase(shopper, saleId, body, "k1"));

        assertSameAnswer(rest, fast);
        assertTrue(rest.statusCode() >= 400 && rest.statusCode() < 500, "refused: " + rest.asString());
        assertEquals(state, stores.snapshot(saleId));
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedAlikeOnBothPaths() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        byte[] withBom = ("\uFEFF{\"quantity\":1}").getBytes(StandardCharsets.UTF_8);

        Response rest = viaRest(() -> given().header("Authorization", shopper.bearer()).contentType("application/json")
                .body(withBom).post("/api/sales/" + saleId + "/purchase"));
        Response fast = viaFastPath(() -> given().header("Authorization", shopper.bearer()).contentType("application/json")
                .body(withBom).post("/api/sales/" + saleId + "/purchase"));

        assertSameAnswer(rest, fast);
        assertEquals(400, fast.statusCode());
    }

    @Test
    void acceptedAndReplayedPurchasesAnswerAlikeOnBothPaths() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();

        Response first = viaRest(() -> purchase(shopper, saleId, "{\"quantity\":1}", "a"));
        Response replay = viaFastPath(() -> purchase(shopper, saleId, "{\"quantity\":1}", "a"));
        Response second = viaFastPath(() -> purchase(shopper, saleId, "{\"quantity\":1}", "b"));

        assertSameAnswer(first, replay);
        assertEquals(202, second.statusCode());
        assertEquals(first.contentType(), second.contentType());
        assertEquals(first.jsonPath().getMap("").keySet(), second.jsonPath().getMap("").keySet());
        assertNotEquals(first.jsonPath().getString("orderId"), second.jsonPath().getString("orderId"));
        assertEquals("/api/orders/" + second.jsonPath().getString("orderId"), second.header("Location"));
        assertEquals(Map.of(Long.toString(shopper.id()), "2"), stores.userUnits(saleId));
        assertEquals(2, stores.outboxEntriesAdded(saleId));

        TestUser sameShopperNewSession = new TestUser(shopper.id(), shopper.email(), shopper.role(),
                SessionTokens.dev().session(shopper.id(), shopper.email(), shopper.role()));
        assertNotEquals(shopper.token(), sameShopperNewSession.token());
        Response overLimitRest = viaRest(() -> purchase(sameShopperNewSession, saleId, "{\"quantity\":1}", "c"));
        Response overLimitFast = viaFastPath(() -> purchase(shopper, saleId, "{\"quantity\":1}", "c"));
        assertSameAnswer(overLimitRest, overLimitFast);
        assertEquals(409, overLimitFast.statusCode());
    }

    @Test
    void anythingUnusualIsLeftToTheRestLayer() {
        long saleId = sales.live(10, 5);
        TestUser shopper = users.shopper();
        purchase(shopper, saleId, "{\"quantity\":1}", "warm").then().statusCode(202);

        viaRest(() -> given().header("Authorization", shopper.bearer()).contentType("text/plain").body("quantity=1")
                .post("/api/sales/" + saleId + "/purchase"));
        viaRest(() -> given().header("Authorization", shopper.bearer()).contentType("application/json; charset=utf-16")
                .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase"));
        viaRest(() -> given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON).accept("text/html")
                .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase"));
        viaRest(() -> given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON).queryParam("x", "1")
                .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase"));
        viaRest(() -> given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body("{\"quantity\":1}").post("/api/sales/0" + saleId + "/purchase"));
        viaRest(() -> given().header("Authorization", "Bearer x" + shopper.bearer().substring(7)).contentType(ContentType.JSON)
                .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase"));
        viaRest(() -> given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body("{\"quantity\":1," + " ".repeat(2000) + "}").post("/api/sales/" + saleId + "/purchase"));
    }

    private Response viaRest(java.util.function.Supplier<Response> request) {
        long before = fastPath.taken();
        Response response = request.get();
        assertEquals(before, fastPath.taken(), "answered by the REST layer: " + response.asString());
        return response;
    }

    private Response viaFastPath(java.util.function.Supplier<Response> request) {
        long before = fastPath.taken();
        Response response = request.get();
        assertEquals(before + 1, fastPath.taken(), "answered by the fast path: " + response.asString());
        return response;
    }

    private static void assertSameAnswer(Response rest, Response fast) {
        assertEquals(rest.statusCode(), fast.statusCode(), fast.asString());
        assertEquals(rest.contentType(), fast.contentType());
        assertEquals(rest.asString(), fast.asString());
        assertEquals(rest.header("Location"), fast.header("Location"));
        assertEquals(rest.header("Retry-After"), fast.header("Retry-After"));
    }

    private static Response purchase(TestUser shopper, long saleId, String body, String idempotencyKey) {
        RequestSpecification request = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/sales/" + saleId + "/purchase");
    }
}
