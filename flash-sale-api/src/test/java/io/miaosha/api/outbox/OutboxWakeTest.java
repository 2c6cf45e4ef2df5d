package io.miaosha.api.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.events.OutboxWake;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestStores;
import io.quarkus.redis.datasource.pubsub.PubSubCommands.RedisSubscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * With the sweep an hour away, only wake-ups move entries: a purchase and its payment still reach
 * RabbitMQ, and a few hundred armed sales with empty outboxes cost the relay no read at all.
 */
@QuarkusTest
@TestProfile(OutboxWakeTest.WakeUpsOnly.class)
class OutboxWakeTest {

    public static class WakeUpsOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The first sweep runs at start; the next one is an hour away.
            return Map.of("miaosha.relay.sweep-every", "PT1H");
        }
    }

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @Inject
    MeterRegistry meters;

    @Test
    void aPurchaseAndItsPaymentAreRelayedOnTheirWakeUpsAlone() throws Exception {
        long saleId = sales.live(5, 2);
        TestUser shopper = users.shopper();
        try (Broker.Tap placed = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PLACED_ROUTING_KEY);
                Broker.Tap paid = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PAID_ROUTING_KEY)) {
            String orderId = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                    .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase")
                    .then().statusCode(202).extract().path("orderId");
            await().atMost(Duration.ofSeconds(10)).until(() -> !placed.forSale(saleId).isEmpty());
            assertEquals(orderId, placed.forSale(saleId).get(0).json().get("orderId").asText());

            given().header("Authorization", shopper.bearer()).header("Idempotency-Key", "wake-" + orderId)
                    .contentType(ContentType.JSON).body("{\"cardNumber\":\"4242424242424242\"}")
                    .post("/api/orders/" + orderId + "/pay").then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !paid.forSale(saleId).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> stores.outboxLength(saleId) == 0);
        }
    }

    /**
     * Wake-ups are Redis pub/sub, which is not scoped to a database: other test JVMs on this machine
     * (and this one's other sales, whose holds expire) wake this relay too. Each wake-up costs at most
     * three reads (read, re-create a missing group, one retry); polling the 300 idle sales would cost
     * 300 a round.
     */
    @Test
    void armedSalesWithEmptyOutboxesAreNotRead() throws Exception {
        String[] idle = LongStream.range(0, 300).map(i -> 7_000_000_000L + i).mapToObj(Long::toString).toArray(String[]::new);
        List<Long> woken = new CopyOnWriteArrayList<>();
        RedisSubscriber wakes = stores.redis().pubsub(String.class)
                .subscribe(OutboxWake.CHANNEL, message -> woken.add(OutboxWake.decode(message).saleId()));
        stores.redis().set(String.class).sadd(SaleKeys.ARMED_SALES, idle);
        try {
            double before = reads();
            Thread.sleep(2_000); // a hundred relay rounds at the 20 ms idle pause
            assertTrue(reads() - before <= 3 * woken.size(),
                    "outbox reads while nothing was bought here: " + (reads() - before) + " for wake-ups " + woken);

            long saleId = sales.live(5, 2);
            woken.clear();
            double beforePurchase = reads();
            given().header("Authorization", users.shopper().bearer()).contentType(ContentType.JSON)
                    .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase").then().statusCode(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> stores.outboxLength(saleId) == 0);
            double forOnePurchase = reads() - beforePurchase;
            long others = woken.stream().filter(id -> id != saleId).count();
            assertTrue(woken.contains(saleId), "the purchase woke the relay");
            assertTrue(forOnePurchase >= 1 && forOnePurchase <= 3 + 3 * others,
                    "reads for one purchase among 300 idle armed sales: " + forOnePurchase + ", other wake-ups " + others);
        } finally {
            wakes.unsubscribe();
            stores.redis().set(String.class).srem(SaleKeys.ARMED_SALES, idle);
        }
    }

    private double reads() {
        return meters.counter("miaosha.relay.outbox.reads").count();
    }
}
