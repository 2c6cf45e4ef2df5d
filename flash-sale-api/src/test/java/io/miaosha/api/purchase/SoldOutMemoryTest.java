package io.miaosha.api.purchase;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Metrics;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Once sold out, an instance answers from memory without asking Redis; a STOCK_RETURNED event makes
 * it ask again. "Without asking Redis" is proven by putting units back in Redis behind the
 * instance's back: it keeps answering sold out until the event arrives.
 */
@QuarkusTest
class SoldOutMemoryTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void afterSellingOutAttemptsAreAnsweredFromMemoryUntilStockReturns() {
        long saleId = sales.live(1, 2);
        TestUser first = users.shopper();
        TestUser late = users.shopper();
        PurchaseResourceTest.purchase(first, saleId, "{\"quantity\":1}", null).then().statusCode(202);
        double fromMemory = Metrics.purchaseOutcome("sold_out_from_memory");

        assertProblem(PurchaseResourceTest.purchase(late, saleId, "{\"quantity\":1}", null).then(), 409, "sold-out");
        assertEquals(fromMemory + 1, Metrics.purchaseOutcome("sold_out_from_memory"));

        // Units come back in Redis without an announcement: this instance must not notice.
        stores.redis().value(String.class).set(new SaleKeys(saleId).stock(), "1");
        assertProblem(PurchaseResourceTest.purchase(late, saleId, "{\"quantity\":1}", null).then(), 409, "sold-out");
        assertEquals(fromMemory + 2, Metrics.purchaseOutcome("sold_out_from_memory"));
        assertEquals(1, stores.holds(saleId).size());
        assertEquals(1, stores.stock(saleId));

        stores.redis().pubsub(String.class).publish(SaleEvent.CHANNEL,
                new SaleEvent(SaleEvent.Type.STOCK_RETURNED, saleId).encode());

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                PurchaseResourceTest.purchase(late, saleId, "{\"quantity\":1}", null).statusCode() == 202);
        assertEquals(2, stores.holds(saleId).size());
        assertEquals(0, stores.stock(saleId));
    }

    @Test
    void soldOutFromMemoryConcernsOnlyThatSale() {
        long soldOut = sales.live(1, 2);
        long other = sales.live(5, 2);
        TestUser shopper = users.shopper();
        PurchaseResourceTest.purchase(shopper, soldOut, "{\"quantity\":1}", null).then().statusCode(202);

        assertProblem(PurchaseResourceTest.purchase(shopper, soldOut, "{\"quantity\":1}", null).then(), 409, "sold-out");
        PurchaseResourceTest.purchase(shopper, other, "{\"quantity\":1}", null).then().statusCode(202);
    }

    @Test
    void soldOutEventFromAnotherInstanceIsRememberedWithoutAskingRedis() {
        long saleId = sales.live(5, 2);
        TestUser shopper = users.shopper();
        PurchaseResourceTest.purchase(shopper, saleId, "{\"quantity\":1}", null).then().statusCode(202);

        stores.redis().pubsub(String.class).publish(SaleEvent.CHANNEL,
                new SaleEvent(SaleEvent.Type.SOLD_OUT, saleId).encode());

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                PurchaseResourceTest.purchase(shopper, saleId, "{\"quantity\":1}", null).statusCode() == 409);
        assertEquals(1, stores.holds(saleId).size());
        stores.redis().pubsub(String.class).publish(SaleEvent.CHANNEL,
                new SaleEvent(SaleEvent.Type.STOCK_RETURNED, saleId).encode());
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                PurchaseResourceTest.purchase(shopper, saleId, "{\"quantity\":1}", null).statusCode() == 202);
    }
}
