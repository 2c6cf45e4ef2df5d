package io.miaosha.api.purchase;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A 202 means a replica holds the purchase, so it survives the loss of the master: with the replica
 * acknowledging, the hold is on it when the answer comes; with the replica paused, the purchase is
 * answered 503 purchase-not-confirmed (nothing promised), and a retry with the same key once the
 * replica is back answers that same order, never a second one.
 */
@QuarkusTest
@TestProfile(ReplicatedRedisProfile.class)
class DurableAcknowledgementTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void aPurchaseIsAnsweredOnlyOnceTheReplicaHoldsIt() {
        long saleId = sales.live(10, 5);
        TestUser shopper = users.shopper();

        String orderId = purchase(shopper, saleId, "first").then().statusCode(202).extract().path("orderId");

        ReplicatedRedisProfile.RedisPair pair = ReplicatedRedisProfile.pair();
        assertTrue(pair.onReplica("HGET", new SaleKeys(saleId).holds(), orderId).contains("|PENDING"),
                "the replica holds the hold at the moment of the 202");
    }

    @Test
    void withoutTheReplicaNothingIsPromisedAndTheRetryGetsTheSameOrder() {
        long saleId = sales.live(10, 5);
        TestUser shopper = users.shopper();
        ReplicatedRedisProfile.RedisPair pair = ReplicatedRedisProfile.pair();

        pair.pauseReplica();
        try {
            assertProblem(purchase(shopper, saleId, "paused").then().header("Retry-After", "1"), 503, "purchase-not-confirmed");
            assertProblem(purchase(shopper, saleId, null).then()
                    .body("detail", containsString("Look at your orders")), 503, "purchase-not-confirmed");
        } finally {
            pair.resumeReplica();
        }

        String orderId = purchase(shopper, saleId, "paused").then().statusCode(202).body("quantity", equalTo(1))
                .extract().path("orderId");
        assertEquals(2, stores.holds(saleId).size(), "the keyed retry made no second order (the keyless one made its own)");
        assertTrue(stores.holds(saleId).containsKey(orderId));
        assertTrue(pair.onReplica("HGET", new SaleKeys(saleId).holds(), orderId).contains("|PENDING"));
    }

    private static Response purchase(TestUser shopper, long saleId, String idempotencyKey) {
        var request = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON).body("{\"quantity\":1}");
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/sales/" + saleId + "/purchase");
    }
}
