package io.miaosha.worker.expiry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.events.OutboxWake;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An unpaid hold expires through the broker: a HoldDue in a hold-timer queue (TTL = hold time)
 * is dead-lettered to the expiry queue at pay-by; the units return, the order is EXPIRED, the
 * sale's sold-out flag clears, and the next shopper buys the units.
 */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class HoldExpiryTest {

    private static final LuaScript PURCHASE = LuaScript.fromClasspath("purchase.lua");
    private static final long HOLD_MS = 1500;

    @Inject
    TestData data;
    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Test
    void unpaidHoldExpiresAtPayByAndItsUnitSellsAgain() throws Exception {
        long saleId = data.armedSale(1, HOLD_MS);
        SaleKeys keys = new SaleKeys(saleId);
        TestData.User first = data.user();
        TestData.User second = data.user();
        long payBy = System.currentTimeMillis() + HOLD_MS;
        String orderId = data.pendingOrder(saleId, first.id(), 1, payBy);
        assertEquals("0", redis.value(String.class).get(keys.stock()), "sold out while held");
        assertEquals(-5, purchase(saleId, second.id()).get(0).toInteger(), "sold out for the next shopper");

        List<String> saleEvents = new CopyOnWriteArrayList<>();
        List<String> orderEvents = new CopyOnWriteArrayList<>();
        var sales = redis.pubsub(String.class).subscribe(SaleEvent.CHANNEL, saleEvents::add);
        var orders = redis.pubsub(String.class).subscribe(OrderUpdate.CHANNEL, orderEvents::add);
        try (Broker broker = Broker.workerTests()) {
            // What the relay does with each OrderPlaced: declare the timer queue, and publish the order itself
            // with a CC to the timer queue's key (here straight to that key: the persist queue is not the point).
            OrderTopology.declareHoldTimer(broker.channel(), HOLD_MS);
            String placed = ("{\"orderId\":\"%s\",\"saleId\":%d,\"userId\":%d,\"quantity\":1,\"unitPriceMinor\":1999,"
                    + "\"currency\":\"EUR\",\"createdAtMs\":%d,\"payByMs\":%d,\"idempotencyKey\":null,"
                    + "\"requestFingerprint\":null,\"seatPositions\":null,\"amountMinor\":null}")
                    .formatted(orderId, saleId, first.id(), payBy - HOLD_MS, payBy);
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderTopology.holdTimerRoutingKey(HOLD_MS), placed);
            String due = "{\"orderId\":\"%s\",\"saleId\":%d,\"payByMs\":%d}".formatted(orderId, saleId, payBy);

            Thread.sleep(HOLD_MS / 2);
            assertEquals("PENDING_PAYMENT", data.status(orderId), "not before pay-by");
            await().atMost(Duration.ofSeconds(10)).until(() -> "EXPIRED".equals(data.status(orderId)));
            long expiredAt = System.currentTimeMillis();
            assertTrue(expiredAt >= payBy, "expired at or after pay-by");

            assertEquals("1", redis.value(String.class).get(keys.stock()), "the unit is back");
            assertTrue(redis.hash(String.class).hget(keys.holds(), orderId).endsWith("|EXPIRED"));
            assertEquals(Map.of(), redis.hash(String.class).hgetall(keys.userUnits()), "the allowance is back");
            assertEquals(0, redis.sortedSet(String.class).zcard(keys.holdDeadlines()));
            await().atMost(Duration.ofSeconds(5)).until(() -> saleEvents.stream().map(SaleEvent::decode)
                    .anyMatch(new SaleEvent(SaleEvent.Type.STOCK_RETURNED, saleId)::equals));
            await().atMost(Duration.ofSeconds(5)).until(() -> orderEvents.stream().map(OrderUpdate::decode)
                    .anyMatch(new OrderUpdate(orderId, first.id(), saleId, OrderStatus.EXPIRED)::equals));

            assertEquals(1, purchase(saleId, second.id()).get(0).toInteger(), "the next shopper buys the unit");
            assertEquals("0", redis.value(String.class).get(keys.stock()));

            // The same HoldDue again (a redelivery): the unit the second shopper holds stays held.
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY, due);
            Thread.sleep(1000);
            assertEquals("0", redis.value(String.class).get(keys.stock()), "nothing returned twice");
            assertEquals(1, data.count("SELECT COUNT(*) FROM order_status_history WHERE order_id = ? AND status = 'EXPIRED'", orderId));
            assertEquals(1, orderEvents.stream().filter(e -> e.contains(orderId)).count());
        } finally {
            sales.unsubscribe();
            orders.unsubscribe();
        }
    }

    @Test
    void paidHoldIsNotReleasedByItsTimer() throws Exception {
        long saleId = data.armedSale(3, HOLD_MS);
        SaleKeys keys = new SaleKeys(saleId);
        TestData.User shopper = data.user();
        long payBy = System.currentTimeMillis() + 200;
        String orderId = data.pendingOrder(saleId, shopper.id(), 1, payBy);
        redis.hash(String.class).hset(keys.holds(), orderId, shopper.id() + "|1|" + payBy + "|PAID|pay_x");
        try (Broker broker = Broker.workerTests()) {
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY,
                    "{\"orderId\":\"%s\",\"saleId\":%d,\"payByMs\":%d}".formatted(orderId, saleId, payBy));
            Thread.sleep(1500);
        }
        assertEquals("2", redis.value(String.class).get(keys.stock()));
        assertEquals("PENDING_PAYMENT", data.status(orderId), "expiry never touches a paid order");
    }

    @Test
    void holdsOfABatchExpireTogetherAndAPaidOneStaysHeld() throws Exception {
        long saleId = data.armedSale(4, HOLD_MS);
        SaleKeys keys = new SaleKeys(saleId);
        long payBy = System.currentTimeMillis() + HOLD_MS;
        List<String> unpaid = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unpaid.add(data.pendingOrder(saleId, data.user().id(), 1, payBy));
        }
        TestData.User payer = data.user();
        String paid = data.pendingOrder(saleId, payer.id(), 1, payBy);
        redis.hash(String.class).hset(keys.holds(), paid, payer.id() + "|1|" + payBy + "|PAID|pay_x");
        assertEquals("0", redis.value(String.class).get(keys.stock()));
        try (Broker broker = Broker.workerTests()) {
            // The relay's OrderBatch, published (here straight) to the hold-timer queue's key.
            OrderTopology.declareHoldTimer(broker.channel(), HOLD_MS);
            String orders = java.util.stream.Stream.concat(unpaid.stream(), java.util.stream.Stream.of(paid))
                    .map(orderId -> "{\"orderId\":\"%s\",\"saleId\":%d,\"userId\":1,\"quantity\":1,\"unitPriceMinor\":1999,\"currency\":\"EUR\",\"createdAtMs\":%d,\"payByMs\":%d}"
                            .formatted(orderId, saleId, payBy - HOLD_MS, payBy))
                    .collect(java.util.stream.Collectors.joining(",", "{\"orders\":[", "]}"));
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderTopology.holdTimerRoutingKey(HOLD_MS), orders);

            await().atMost(Duration.ofSeconds(10)).until(() -> unpaid.stream().allMatch(id -> "EXPIRED".equals(data.status(id))));
            assertTrue(System.currentTimeMillis() >= payBy, "expired at or after pay-by");
            assertEquals("3", redis.value(String.class).get(keys.stock()), "the three unpaid units are back, once each");
            assertEquals("PENDING_PAYMENT", data.status(paid), "expiry never touches a paid order");
        }
    }

    private io.vertx.mutiny.redis.client.Response purchase(long saleId, long userId) {
        return PURCHASE.call(reactiveRedis, PurchaseScript.keys(saleId, userId, null), List.of(Long.toString(userId), "1",
                io.miaosha.common.order.OrderIds.next(), Long.toString(System.currentTimeMillis()), "", "60",
                Long.toString(saleId), "", "", OrderUpdate.CHANNEL, SaleEvent.CHANNEL, OutboxWake.CHANNEL))
                .await().atMost(Duration.ofSeconds(5));
    }
}
