package io.miaosha.worker.orders;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestDatabase;
import io.miaosha.worker.testing.Orders;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An OrderPlaced on the exchange becomes exactly one order row, or is parked when it cannot be one. */
@QuarkusTest
class OrderPlacedConsumerTest {

    private static final Duration WRITTEN_WITHIN = Duration.ofSeconds(10);

    private Broker broker;
    private TestDatabase db;

    @BeforeEach
    void connect() {
        broker = Broker.workerTests();
        db = TestDatabase.connect();
    }

    @AfterEach
    void disconnect() throws Exception {
        broker.close();
        db.close();
    }

    @Test
    void orderPlacedIsWrittenWithItsFieldsAndOneStatusHistoryRow() throws Exception {
        OrderPlaced order = Orders.placed(Orders.unusedSaleId(), 42, 2);

        broker.publish(Orders.json(order), order.orderId());

        await().atMost(WRITTEN_WITHIN).until(() -> db.order(order.orderId()).isPresent());
        TestDatabase.OrderRow row = db.order(order.orderId()).orElseThrow();
        assertEquals(order.saleId(), row.saleId());
        assertEquals(42, row.userId());
        assertEquals(2, row.quantity());
        assertEquals(1999, row.unitPriceMinor());
        assertEquals(3998, row.totalMinor());
        assertEquals("EUR", row.currency());
        assertEquals("PENDING_PAYMENT", row.status());
        assertEquals(Instant.ofEpochMilli(order.payByMs()), row.payBy());
        assertEquals(Instant.ofEpochMilli(order.createdAtMs()), row.createdAt());
        assertEquals(List.of("PENDING_PAYMENT"), db.history(order.orderId()));
    }

    @Test
    void sameOrderDeliveredTwiceIsWrittenOnce() throws Exception {
        long saleId = Orders.unusedSaleId();
        OrderPlaced order = Orders.placed(saleId, 7, 1);
        OrderPlaced next = Orders.placed(saleId, 8, 1);

        broker.publish(Orders.json(order), order.orderId());
        await().atMost(WRITTEN_WITHIN).until(() -> db.order(order.orderId()).isPresent());
        // The redelivery a relay sends after a crash between confirm and XACK; the order after it
        // proves the duplicate was consumed (not merely still queued) when we count.
        broker.publishAll(List.of(Orders.json(order), Orders.json(next)), List.of(order.orderId(), next.orderId()));
        await().atMost(WRITTEN_WITHIN).until(() -> db.order(next.orderId()).isPresent());

        assertEquals(2, db.orderCount(saleId));
        assertEquals(List.of("PENDING_PAYMENT"), db.history(order.orderId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json at all",
            "{\"orderId\":\"%s\"}",
            "{\"orderId\":\"not-an-order-id\",\"saleId\":%2$d,\"userId\":1,\"quantity\":1,\"unitPriceMinor\":1999,"
                    + "\"currency\":\"EUR\",\"createdAtMs\":1,\"payByMs\":2}",
            "{\"orderId\":\"%s\",\"saleId\":%d,\"userId\":1,\"quantity\":0,\"unitPriceMinor\":1999,"
                    + "\"currency\":\"EUR\",\"createdAtMs\":1,\"payByMs\":2}",
            "{\"orderId\":\"%s\",\"saleId\":%d,\"userId\":\"one\",\"quantity\":1,\"unitPriceMinor\":1999,"
                    + "\"currency\":\"EUR\",\"createdAtMs\":1,\"payByMs\":2}",
            "{\"orderId\":\"%s\",\"saleId\":%d,\"userId\":1,\"quantity\":1,\"unitPriceMinor\":1999,"
                    + "\"currency\":\"EUR\",\"createdAtMs\":1,\"payByMs\":253402300800000}",
            "[\"%s\", %d]"})
    void malformedMessageIsParkedAndWritesNothing(String template) throws Exception {
        long saleId = Orders.unusedSaleId();
        String orderId = OrderIds.next();
        String messageId = "malformed-" + UUID.randomUUID();
        OrderPlaced after = Orders.placed(saleId, 9, 1);
        Broker.Tap parking = broker.tapParking();

        broker.publish(template.formatted(orderId, saleId), messageId);
        broker.publish(Orders.json(after), after.orderId());

        await().atMost(WRITTEN_WITHIN).until(() -> parking.got(messageId));
        await().atMost(WRITTEN_WITHIN).until(() -> db.order(after.orderId()).isPresent());
        assertTrue(db.order(orderId).isEmpty());
        assertEquals(1, db.orderCount(saleId), "only the well-formed order after it");
        assertTrue(broker.messagesReady(OrderTopology.PARKING_QUEUE) >= 1, "kept in the parking queue for a human");
    }

    @Test
    void oneRowMySqlRefusesIsParkedAloneAndTheRestOfItsBatchIsWritten() throws Exception {
        long saleId = Orders.unusedSaleId();
        OrderPlaced before = Orders.placed(saleId, 11, 1);
        OrderPlaced sound = Orders.placed(saleId, 12, 1);
        // Well-formed, but its total overflowed (2 × a price over half of Long.MAX_VALUE): the database refuses it.
        OrderPlaced unstorable = new OrderPlaced(OrderIds.next(), saleId, 13, 2, Long.MAX_VALUE / 2 + 1, "EUR",
                sound.createdAtMs(), sound.payByMs(), null, null);
        OrderPlaced after = Orders.placed(saleId, 14, 1);
        Broker.Tap parking = broker.tapParking();

        broker.publishAll(List.of(Orders.json(before), Orders.json(sound), Orders.json(unstorable), Orders.json(after)),
                List.of(before.orderId(), sound.orderId(), unstorable.orderId(), after.orderId()));

        await().atMost(WRITTEN_WITHIN).until(() -> parking.got(unstorable.orderId()));
        await().atMost(WRITTEN_WITHIN).until(() -> db.orderCount(saleId) == 3);
        assertTrue(db.order(unstorable.orderId()).isEmpty(), "never stored with a negative total");
        for (OrderPlaced written : List.of(before, sound, after)) {
            assertTrue(db.order(written.orderId()).isPresent(), written.orderId());
            assertFalse(parking.got(written.orderId()), "only the bad row is parked");
        }
        assertEquals(3, db.historyCount(saleId));
    }

    @Test
    void ordersOfABatchAreWrittenOnceEachAndABadOneIsParkedAloneWithItsReason() throws Exception {
        long saleId = Orders.unusedSaleId();
        OrderPlaced first = Orders.placed(saleId, 21, 1);
        OrderPlaced last = Orders.placed(saleId, 24, 2);
        String malformedId = OrderIds.next();
        String malformed = ("{\"orderId\":\"%s\",\"saleId\":%d,\"userId\":22,\"quantity\":0,\"unitPriceMinor\":1999,"
                + "\"currency\":\"EUR\",\"createdAtMs\":1,\"payByMs\":2}").formatted(malformedId, saleId);
        OrderPlaced unstorable = new OrderPlaced(OrderIds.next(), saleId, 23, 2, Long.MAX_VALUE / 2 + 1, "EUR",
                first.createdAtMs(), first.payByMs(), null, null);
        String batch = "{\"orders\":[" + String.join(",", Orders.json(first), malformed, Orders.json(unstorable),
                Orders.json(last)) + "]}";
        Broker.Tap parking = broker.tapParking();

        broker.publish(batch, first.orderId());
        // The same batch again, as a relay sends it after a crash between the broker's confirm and its XACK.
        broker.publish(batch, first.orderId());

        await().atMost(WRITTEN_WITHIN).until(() -> db.orderCount(saleId) == 2);
        assertTrue(db.order(first.orderId()).isPresent());
        assertEquals(2, db.order(last.orderId()).orElseThrow().quantity());
        assertEquals(List.of("PENDING_PAYMENT"), db.history(first.orderId()), "written once though delivered twice");
        // Each delivery parks its two bad orders alone, named by their own ids; were a batch rejected whole, the
        // parking lot would get its four orders instead.
        await().atMost(WRITTEN_WITHIN).until(() -> parking.forSale(saleId).size() == 4);
        Thread.sleep(1000);
        assertEquals(4, parking.forSale(saleId).size(), "the good orders are never parked");
        assertEquals(java.util.Set.of(malformedId, unstorable.orderId()),
                java.util.Set.copyOf(parking.forSale(saleId).stream().map(Broker.Message::messageId).toList()));
        assertFalse(parking.got(first.orderId()));
        assertFalse(parking.got(last.orderId()));
        assertTrue(db.order(unstorable.orderId()).isEmpty());
    }
}
