package io.miaosha.api.admission;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.admission.AdmissionToken;
import io.miaosha.common.admission.AdmissionTokenCodec;
import io.miaosha.common.queue.QueueAdmitScript;
import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A sale behind the waiting room sells only to admitted shoppers with their own valid token. The
 * admission is made by the waiting room's real scripts (join, then one admission step), as the
 * queue-gateway runs them; the token is minted with the shared secret as the gateway mints it.
 */
@QuarkusTest
class AdmissionGateTest {


    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @Inject
    SaleArmer armer;
    @Inject
    ReactiveRedisDataSource redis;
    @ConfigProperty(name = "miaosha.admission.secret")
    String secret;

    @Test
    void queuedSaleRefusesAPurchaseWithoutTokenAndWritesNothing() {
        long saleId = armedQueuedSale(1);
        String before = stores.snapshot(saleId);
        assertProblem(purchase(users.shopper(), saleId, null, null).then(), 403, "admission-required");
        assertEquals(before, stores.snapshot(saleId));
    }

    @Test
    void admittedShopperBuysOnceWithItsTokenAndFreesItsSlot() {
        long saleId = armedQueuedSale(1);
        TestUser shopper = users.shopper();
        String token = admit(saleId, shopper);
        QueueKeys queue = new QueueKeys(saleId);

        String orderId = purchase(shopper, saleId, token, "first").then().statusCode(202).extract().path("orderId");
        assertEquals(9L, stores.stock(saleId));
        assertTrue(stores.redis().sortedSet(String.class).zscore(queue.inside(), Long.toString(shopper.id())).isEmpty(),
                "buying frees the slot for the next ticket");
        String jti = new AdmissionTokenCodec(secret).verify(token).id();
        assertTrue(stores.redis().set(String.class).sismember(queue.admissionsUsed(), jti));

        purchase(shopper, saleId, token, "first").then().statusCode(202).body("orderId", equalTo(orderId));
        String state = stores.snapshot(saleId);
        assertProblem(purchase(shopper, saleId, token, "second").then(), 403, "admission-invalid");
        assertEquals(state, stores.snapshot(saleId), "a replayed admission writes nothing");
    }

    @Test
    void forgedExpiredOtherUserAndOtherSaleTokensAreRefused() {
        long saleId = armedQueuedSale(5);
        long otherSaleId = armedQueuedSale(5);
        TestUser shopper = users.shopper();
        TestUser other = users.shopper();
        String token = admit(saleId, shopper);
        admit(saleId, other);
        AdmissionToken claims = new AdmissionTokenCodec(secret).verify(token);
        String before = stores.snapshot(saleId);

        String forged = new AdmissionTokenCodec("a-secret-the-server-has-never-seen-0123456789").sign(claims);
        assertProblem(purchase(shopper, saleId, forged, null).then(), 403, "admission-invalid")
                .body("detail", org.hamcrest.Matchers.containsString("signature"));
        String tampered = token.substring(0, token.lastIndexOf('.') - 2) + "AA" + token.substring(token.lastIndexOf('.'));
        assertProblem(purchase(shopper, saleId, tampered, null).then(), 403, "admission-invalid");
        String expired = new AdmissionTokenCodec(secret).sign(
                AdmissionToken.forAdmission(shopper.id(), saleId, System.currentTimeMillis() - 1000));
        assertProblem(purchase(shopper, saleId, expired, null).then(), 403, "admission-invalid")
                .body("detail", org.hamcrest.Matchers.containsString("expired"));
        assertProblem(purchase(other, saleId, token, null).then(), 403, "admission-invalid")
                .body("detail", org.hamcrest.Matchers.containsString("another user"));
        assertProblem(purchase(shopper, otherSaleId, token, null).then(), 403, "admission-invalid")
                .body("detail", org.hamcrest.Matchers.containsString("another sale"));
        assertProblem(purchase(shopper, saleId, "not.a.token", null).then(), 403, "admission-invalid");
        assertEquals(before, stores.snapshot(saleId));

        purchase(shopper, saleId, token, null).then().statusCode(202);
    }

    @Test
    void aShopperWhoLeftCannotBuyWithTheOldToken() {
        long saleId = armedQueuedSale(1);
        TestUser shopper = users.shopper();
        String token = admit(saleId, shopper);
        stores.redis().sortedSet(String.class).zrem(new QueueKeys(saleId).inside(), Long.toString(shopper.id()));

        assertProblem(purchase(shopper, saleId, token, null).then(), 403, "admission-invalid");
        assertEquals(10L, stores.stock(saleId));
    }

    @Test
    void saleWithoutQueueSellsWithoutToken() {
        long saleId = sales.live(10, 2);
        purchase(users.shopper(), saleId, null, null).then().statusCode(202);
        assertFalse("1".equals(stores.meta(saleId).get("queue")));
    }

    private long armedQueuedSale(int capacity) {
        long saleId = sales.liveQueued(10, 2, capacity);
        armer.armById(saleId).await().atMost(Duration.ofSeconds(10));
        assertEquals("1", stores.meta(saleId).get("queue"));
        return saleId;
    }

    /** Joins the shopper to the sale's queue and runs one admission step; returns the token the gateway would send. */
    private String admit(long saleId, TestUser shopper) {
        QueueKeys queue = new QueueKeys(saleId);
        long now = System.currentTimeMillis();
        new QueueJoinScript(redis).run(saleId, shopper.id(), now, "ticket-" + shopper.id())
                .await().atMost(Duration.ofSeconds(5));
        new QueueAdmitScript(redis).run(saleId, new QueueAdmitScript.Tick(now, 60_000, 1000, 60_000))
                .await().atMost(Duration.ofSeconds(5));
        assertTrue(stores.redis().sortedSet(String.class).zscore(queue.inside(), Long.toString(shopper.id())).isPresent(),
                "admitted");
        String windowEnd = stores.redis().hash(String.class).hget(queue.windows(), Long.toString(shopper.id()));
        return new AdmissionTokenCodec(secret).sign(AdmissionToken.forAdmission(shopper.id(), saleId, Long.parseLong(windowEnd)));
    }

    private static Response purchase(TestUser shopper, long saleId, String admission, String idempotencyKey) {
        RequestSpecification request = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("quantity", 1));
        if (admission != null) {
            request.header("Admission-Token", admission);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/sales/" + saleId + "/purchase");
    }
}
