package io.miaosha.api.arming;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.sale.SaleKeys;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sale armed before whose hot state Redis lost is rebuilt from MySQL's orders when it is armed
 * again: holds with their pay-by times and deadlines, the per-user counts the limit is checked
 * against, the stock, and the answers to Idempotency-Keys. (The test profile does not wait for the
 * order queues, which no worker drains here: see RecoveryConfig; the system tests' RedisLossIT
 * proves the wait with a real worker.)
 */
@QuarkusTest
class SaleRecoveryTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void aSaleThatLostItsHotStateIsRebuiltFromMySqlBeforeItSellsAgain() {
        long saleId = sales.live(10, 1);
        TestUser keyed = users.shopper();
        TestUser payer = users.shopper();
        TestUser expired = users.shopper();
        String keyedOrder = purchase(keyed, saleId, "{\"quantity\":1}", "first-buy")
                .then().statusCode(202).extract().path("orderId");
        // What the worker would have written for each order (and for two orders of others).
        persisted(keyedOrder, saleId, keyed, "PENDING_PAYMENT", "first-buy");
        persisted(OrderIds.next(), saleId, payer, "PAID", null);
        persisted(OrderIds.next(), saleId, expired, "EXPIRED", null);
        sales.forgetHotState(saleId);

        // The next purchase finds the sale unarmed, arms it as recovering, and it is rebuilt first.
        assertProblem(purchase(keyed, saleId, "{\"quantity\":1}", null).then(),
                409, "limit-reached");
        purchase(keyed, saleId, "{\"quantity\":1}", "first-buy")
                .then().statusCode(202).body("orderId", equalTo(keyedOrder));
        assertProblem(purchase(payer, saleId, "{\"quantity\":1}", null).then(),
                409, "limit-reached");
        purchase(expired, saleId, "{\"quantity\":1}", null).then().statusCode(202);

        assertNull(stores.meta(saleId).get("recovering"), "the recovery is over");
        assertEquals(10L - 3, stores.stock(saleId), "10 minus the pending, the paid and the new order");
        Map<String, String> holds = stores.holds(saleId);
        assertEquals(4, holds.size(), "every order of MySQL has its hold back, and the new one");
        assertEquals("PENDING", holds.get(keyedOrder).split("\\|")[3]);
        assertEquals(2L, stores.holdDeadlines(saleId), "the pending holds' deadlines, for expiry and the sweeper");
        assertEquals("1", stores.userUnits(saleId).get(Long.toString(payer.id())));
        assertEquals("1", stores.userUnits(saleId).get(Long.toString(expired.id())), "only the new order counts");
        assertEquals(false, stores.redis().set(String.class).sismember(SaleKeys.RECOVERING_SALES, Long.toString(saleId)));
    }

    private void persisted(String orderId, long saleId, TestUser user, String status, String idempotencyKey) {
        Instant now = TestSales.now();
        if (idempotencyKey == null) {
            stores.execute("""
                    INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status,
                                        pay_by, created_at)
                    VALUES (?, ?, ?, 1, 1999, 1999, 'EUR', ?, ?, ?)""",
                    orderId, saleId, user.id(), status, TestSales.utc(now.plusSeconds(300)), TestSales.utc(now));
            return;
        }
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status,
                                    pay_by, created_at, idempotency_key, request_fingerprint)
                VALUES (?, ?, ?, 1, 1999, 1999, 'EUR', ?, ?, ?, ?, 'quantity=1')""",
                orderId, saleId, user.id(), status, TestSales.utc(now.plusSeconds(300)), TestSales.utc(now), idempotencyKey);
    }

    private static Response purchase(TestUser shopper, long saleId, String body, String idempotencyKey) {
        RequestSpecification request = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/sales/" + saleId + "/purchase");
    }
}
