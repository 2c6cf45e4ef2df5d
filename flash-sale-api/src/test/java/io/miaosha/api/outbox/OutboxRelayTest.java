package io.miaosha.api.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestStores;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The relay publishes each outbox entry to RabbitMQ and only then acknowledges and deletes it. */
@QuarkusTest
class OutboxRelayTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void acceptedPurchaseIsPublishedThenAcknowledgedAndDeletedFromTheStream() throws Exception {
        long saleId = sales.live(5, 2);
        TestUser shopper = users.shopper();
        // The sale's holds last 300 s: the order's own message is its hold timer, copied (CC) to that queue's key.
        try (Broker.Tap messages = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PLACED_ROUTING_KEY);
                Broker.Tap holdTimers = Broker.orders(TestStores.API_VHOST, OrderTopology.holdTimerRoutingKey(300_000))) {
            var receipt = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                    .body("{\"quantity\":2}").post("/api/sales/" + saleId + "/purchase")
                    .then().statusCode(202).extract().jsonPath();
            String orderId = receipt.getString("orderId");

            await().atMost(Duration.ofSeconds(10)).until(() -> !messages.forSale(saleId).isEmpty());
            Broker.Message message = messages.forSale(saleId).get(0);
            assertEquals(orderId, message.json().get("orderId").asText());
            assertEquals(orderId, message.messageId());
            assertEquals("application/json", message.contentType());
            assertEquals(2, message.deliveryMode(), "persistent");
            assertEquals(shopper.id(), message.json().get("userId").asLong());
            assertEquals(2, message.json().get("quantity").asInt());
            assertEquals(1999, message.json().get("unitPriceMinor").asLong());
            assertEquals("EUR", message.json().get("currency").asText());
            assertEquals(java.time.Instant.parse(receipt.getString("payBy")).toEpochMilli(), message.json().get("payByMs").asLong());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertEquals(0, stores.outboxLength(saleId), "deleted after the broker confirmed");
                assertEquals(0, stores.outboxPending(saleId), "acknowledged");
            });
            assertEquals(1, stores.outboxEntriesAdded(saleId));
            assertEquals(1, messages.forSale(saleId).size());
            await().atMost(Duration.ofSeconds(10)).until(() -> holdTimers.got(orderId));
            assertEquals(1, holdTimers.forSale(saleId).size(), "one hold timer: the same message, one publish");
            assertEquals(message.body(), holdTimers.forSale(saleId).get(0).body());
        }
    }

    @Test
    void entryLeftPendingByACrashedRelayIsClaimedAndPublished() throws Exception {
        // A sale only in Redis: its entry is read by a relay that then "dies" without acknowledging.
        long saleId = 8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        SaleKeys keys = new SaleKeys(saleId);
        var streams = stores.redis().stream(String.class);
        String orderId = OrderIds.next();
        // The sale's holds last 300 s: the order's own message is its hold timer, copied (CC) to that queue's key.
        try (Broker.Tap messages = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PLACED_ROUTING_KEY);
                Broker.Tap holdTimers = Broker.orders(TestStores.API_VHOST, OrderTopology.holdTimerRoutingKey(300_000))) {
            stores.redis().execute("XGROUP", "CREATE", keys.outbox(), SaleKeys.RELAY_GROUP, "0", "MKSTREAM");
            long now = System.currentTimeMillis();
            streams.xadd(keys.outbox(), Map.of("orderId", orderId, "saleId", Long.toString(saleId), "userId", "7",
                    "quantity", "1", "price", "500", "currency", "EUR", "createdAt", Long.toString(now),
                    "payBy", Long.toString(now + 300_000)));
            assertEquals(1, streams.xreadgroup(SaleKeys.RELAY_GROUP, "crashed-relay", keys.outbox(), ">",
                    new XReadGroupArgs().count(10)).size());
            stores.redis().set(String.class).sadd(SaleKeys.ARMED_SALES, Long.toString(saleId));

            await().atMost(Duration.ofSeconds(15)).until(() -> !messages.forSale(saleId).isEmpty());
            assertEquals(orderId, messages.forSale(saleId).get(0).json().get("orderId").asText());
            awaitAcknowledgedAndDeleted(saleId);
        } finally {
            disarm(keys);
        }
    }

    @Test
    void oneReadOfManyOrdersGoesOutAsAFewBatchesEachItsOrdersHoldTimer() throws Exception {
        // 150 entries found in one read (the sweep reads up to 500): two messages of at most 100 orders each.
        long saleId = 8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        SaleKeys keys = new SaleKeys(saleId);
        var streams = stores.redis().stream(String.class);
        java.util.List<String> orderIds = new java.util.ArrayList<>();
        try (Broker.Tap messages = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PLACED_ROUTING_KEY);
                Broker.Tap holdTimers = Broker.orders(TestStores.API_VHOST, OrderTopology.holdTimerRoutingKey(300_000))) {
            stores.redis().execute("XGROUP", "CREATE", keys.outbox(), SaleKeys.RELAY_GROUP, "0", "MKSTREAM");
            long now = System.currentTimeMillis();
            for (int i = 0; i < 150; i++) {
                String orderId = OrderIds.next();
                orderIds.add(orderId);
                streams.xadd(keys.outbox(), Map.of("orderId", orderId, "saleId", Long.toString(saleId), "userId",
                        Integer.toString(100 + i), "quantity", "1", "price", "500", "currency", "EUR", "createdAt",
                        Long.toString(now + i), "payBy", Long.toString(now + i + 300_000)));
            }
            stores.redis().set(String.class).sadd(SaleKeys.ARMED_SALES, Long.toString(saleId));

            await().atMost(Duration.ofSeconds(15)).until(() -> messages.forSale(saleId).size() == 150
                    && holdTimers.forSale(saleId).size() == 150);
            assertEquals(java.util.Set.copyOf(orderIds), java.util.Set.copyOf(messages.forSale(saleId).stream()
                    .map(m -> m.json().get("orderId").asText()).toList()), "every order, once");
            assertEquals(2, messages.deliveries(saleId), "150 orders in two messages");
            assertEquals(2, holdTimers.deliveries(saleId), "the same two messages are the hold timers");
            awaitAcknowledgedAndDeleted(saleId);
        } finally {
            disarm(keys);
        }
    }

    private void awaitAcknowledgedAndDeleted(long saleId) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(0, stores.outboxPending(saleId));
            assertEquals(0, stores.outboxLength(saleId));
        });
    }

    /** The sale that lived only in Redis leaves no trace for the next test. */
    private void disarm(SaleKeys keys) {
        stores.redis().set(String.class).srem(SaleKeys.ARMED_SALES, Long.toString(keys.saleId()));
        stores.redis().key().del(keys.outbox());
    }
}
