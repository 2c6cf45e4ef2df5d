package io.miaosha.api.purchase;

import static io.miaosha.api.purchase.PurchaseResourceTest.purchase;
import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Metrics;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An Idempotency-Key names one request (Stripe's rule): the same key with the same body gets the first
 * answer, even after the sale sold out and this instance answers other attempts from memory; the same
 * key with another body is refused with 422 and changes nothing.
 */
@QuarkusTest
class IdempotencyKeyTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void aKeyReusedWithAnotherBodyIsRefusedAndWritesNothing() {
        long saleId = sales.live(10, 5);
        TestUser shopper = users.shopper();
        String orderId = purchase(shopper, saleId, "{\"quantity\":1}", "key-a").then().statusCode(202)
                .extract().path("orderId");
        String before = stores.snapshot(saleId);
        Map<String, Long> rows = stores.tableCounts();

        assertProblem(purchase(shopper, saleId, "{\"quantity\":2}", "key-a").then(), 422, "idempotency-key-reused");

        assertEquals(before, stores.snapshot(saleId));
        assertEquals(rows, stores.tableCounts());
        purchase(shopper, saleId, "{\"quantity\":1}", "key-a").then().statusCode(202).body("orderId", equalTo(orderId));
        assertEquals(before, stores.snapshot(saleId), "the replay writes nothing either");
    }

    @Test
    void aRetryWithTheSameKeyAndBodyAfterTheSaleSoldOutGetsTheOriginalOrder() {
        long saleId = sales.live(1, 1);
        TestUser buyer = users.shopper();
        TestUser late = users.shopper();
        var first = purchase(buyer, saleId, "{\"quantity\":1}", "buy-1").then().statusCode(202).extract();
        // This instance now knows the sale is sold out and answers keyless attempts from memory.
        double fromMemory = Metrics.purchaseOutcome("sold_out_from_memory");
        assertProblem(purchase(late, saleId, "{\"quantity\":1}", null).then(), 409, "sold-out");
        assertEquals(fromMemory + 1, Metrics.purchaseOutcome("sold_out_from_memory"));
        String before = stores.snapshot(saleId);

        purchase(buyer, saleId, "{\"quantity\":1}", "buy-1").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/orders/" + first.path("orderId")))
                .body("orderId", equalTo(first.path("orderId")))
                .body("payBy", equalTo(first.path("payBy")))
                .body("quantity", equalTo(1));
        assertProblem(purchase(buyer, saleId, "{\"quantity\":2}", "buy-1").then(), 422, "idempotency-key-reused");

        assertEquals(before, stores.snapshot(saleId));
        assertEquals(1, stores.holds(saleId).size());
    }

    @Test
    void aKeyThatNeverGotAnOrderIsStillAnsweredSoldOutFromMemory() {
        long saleId = sales.live(1, 1);
        purchase(users.shopper(), saleId, "{\"quantity\":1}", "winner").then().statusCode(202);
        TestUser late = users.shopper();
        assertProblem(purchase(late, saleId, "{\"quantity\":1}", "late-1").then(), 409, "sold-out");
        double fromMemory = Metrics.purchaseOutcome("sold_out_from_memory");

        // Redis asked once for this key; from then on the answer comes from memory.
        assertProblem(purchase(late, saleId, "{\"quantity\":1}", "late-1").then(), 409, "sold-out");
        assertProblem(purchase(late, saleId, "{\"quantity\":1}", "late-1").then(), 409, "sold-out");
        assertEquals(fromMemory + 2, Metrics.purchaseOutcome("sold_out_from_memory"));
        // Another user's key is in the set, but only its owner's record can answer: this one is sold out.
        assertProblem(purchase(late, saleId, "{\"quantity\":1}", "winner").then(), 409, "sold-out");
        assertEquals(1, stores.holds(saleId).size());
        assertEquals(1, stores.redis().set(String.class).scard(new SaleKeys(saleId).idempotencyKeys()));
    }
}
