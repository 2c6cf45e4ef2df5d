package io.miaosha.api.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestStores;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * One outbox entry the relay cannot turn into a message (a negative user id, a missing field) used to
 * fail its whole batch on every round, forever: the good orders around it never reached RabbitMQ and
 * their holds never expired. Now the bad entry is parked with its reason, visible to an admin, and the
 * rest of the batch is relayed and acknowledged.
 */
@QuarkusTest
class OutboxPoisonTest {

    private static final String PERSIST_PARKED = OrderTopology.parkedQueue(OrderChannels.ORDERS_QUEUE);
    private static final String PAID_PARKED = OrderTopology.parkedQueue(OrderChannels.PAID_QUEUE);

    @Inject
    Stores stores;
    @Inject
    TestUsers users;

    @Test
    void aPoisonEntryBetweenGoodOnesIsParkedWithItsReasonAndTheGoodOnesAreRelayed() throws Exception {
        long saleId = 8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        SaleKeys keys = new SaleKeys(saleId);
        var streams = stores.redis().stream(String.class);
        long now = System.currentTimeMillis();
        String good1 = OrderIds.next();
        String negativeUser = OrderIds.next();
        String missingPrice = OrderIds.next();
        String good2 = OrderIds.next();
        String badPayment = OrderIds.next();
        String good3 = OrderIds.next();
        TestUser admin = users.admin();
        Set<String> timers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Broker.Tap messages = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PLACED_ROUTING_KEY); Connection broker = connect(); Channel timerChannel = broker.createChannel()) {
            // Copies of the hold timers the relay sends (300 s holds), to see the parked order's go out too: the good
            // orders' batch is their timer (CC to hold-timer.300000 on miaosha.orders), a parked one gets a HoldDue.
            String timerQueue = timerChannel.queueDeclare().getQueue();
            timerChannel.exchangeDeclare(OrderChannels.DELAY_EXCHANGE, "direct", true);
            timerChannel.queueBind(timerQueue, OrderChannels.DELAY_EXCHANGE, "300000");
            timerChannel.queueBind(timerQueue, OrderChannels.ORDERS_EXCHANGE, OrderTopology.holdTimerRoutingKey(300_000));
            // The good orders' timer is their batch: each order of it counts, named by its order id.
            timerChannel.basicConsume(timerQueue, true, (tag, delivery) -> new Broker.Message(
                    new String(delivery.getBody(), java.nio.charset.StandardCharsets.UTF_8), delivery.getProperties().getMessageId(),
                    null, null).orders().forEach(order -> timers.add(order.messageId())), tag -> { });
            stores.redis().execute("XGROUP", "CREATE", keys.outbox(), SaleKeys.RELAY_GROUP, "0", "MKSTREAM");
            // All six land before the relay looks, so they are read as one batch.
            streams.xadd(keys.outbox(), placed(good1, saleId, "7", now));
            streams.xadd(keys.outbox(), placed(negativeUser, saleId, "-5", now));
            Map<String, String> noPrice = placed(missingPrice, saleId, "8", now);
            noPrice.remove("price");
            streams.xadd(keys.outbox(), noPrice);
            streams.xadd(keys.outbox(), placed(good2, saleId, "9", now));
            streams.xadd(keys.outbox(), Map.of("type", "paid", "orderId", badPayment, "saleId", Long.toString(saleId),
                    "userId", "7", "quantity", "one", "price", "500", "currency", "EUR", "paymentId", "pay-1",
                    "paidAt", Long.toString(now)));
            streams.xadd(keys.outbox(), placed(good3, saleId, "10", now));
            stores.redis().set(String.class).sadd(SaleKeys.ARMED_SALES, Long.toString(saleId));

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals(Set.of(good1, good2, good3),
                    Set.copyOf(messages.forSale(saleId).stream().map(m -> m.json().get("orderId").asText()).toList())));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertEquals(0, stores.outboxPending(saleId), "every entry acknowledged, the parked ones too");
                assertEquals(0, stores.outboxLength(saleId));
            });

            // Its units are held in Redis: the hold timer still goes out, so they return at its pay-by time.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertTrue(timers.containsAll(List.of(good1, good2, good3, negativeUser)), "timers seen: " + timers));

            given().header("Authorization", admin.bearer()).get("/api/admin/parked?queue=" + PERSIST_PARKED + "&limit=500")
                    .then().statusCode(200)
                    .body("messages.find { it.messageId == '" + negativeUser + "' }.reason", containsString("userId must be positive"))
                    .body("messages.find { it.messageId == '" + negativeUser + "' }.reason", containsString("sale " + saleId))
                    .body("messages.find { it.messageId == '" + negativeUser + "' }.body", containsString("\"userId\":\"-5\""))
                    .body("messages.find { it.messageId == '" + negativeUser + "' }.replaysTo", org.hamcrest.Matchers.equalTo(OrderChannels.ORDERS_QUEUE))
                    .body("messages.find { it.messageId == '" + missingPrice + "' }.reason", containsString("field 'price' is missing"));
            given().header("Authorization", admin.bearer()).get("/api/admin/parked?queue=" + PAID_PARKED + "&limit=500")
                    .then().statusCode(200)
                    .body("messages.find { it.messageId == '" + badPayment + "' }.reason", containsString("field 'quantity' is not a whole number: 'one'"));
        } finally {
            stores.redis().set(String.class).srem(SaleKeys.ARMED_SALES, Long.toString(saleId));
            stores.redis().key().del(keys.outbox());
            removeParked(List.of(negativeUser, missingPrice, badPayment));
        }
    }

    private static Map<String, String> placed(String orderId, long saleId, String userId, long now) {
        return new HashMap<>(Map.of("orderId", orderId, "saleId", Long.toString(saleId), "userId", userId,
                "quantity", "1", "price", "500", "currency", "EUR", "createdAt", Long.toString(now),
                "payBy", Long.toString(now + 300_000)));
    }

    private static Connection connect() throws Exception {
        var config = ConfigProvider.getConfig();
        return OrderTopology.connectionFactory(config.getValue("rabbitmq-host", String.class),
                config.getValue("rabbitmq-port", Integer.class), config.getValue("rabbitmq-username", String.class),
                config.getValue("rabbitmq-password", String.class), config.getValue("rabbitmq-virtual-host", String.class))
                .newConnection("outbox-poison-test");
    }

    /** Takes this test's messages out of the shared parking queues and puts every other one back. */
    private static void removeParked(List<String> messageIds) throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            for (String queue : List.of(PERSIST_PARKED, PAID_PARKED)) {
                GetResponse message;
                while ((message = channel.basicGet(queue, false)) != null) {
                    if (messageIds.contains(message.getProps().getMessageId())) {
                        channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                    }
                }
            }
            // Closing the channel puts the unacknowledged others back.
        }
    }
}
