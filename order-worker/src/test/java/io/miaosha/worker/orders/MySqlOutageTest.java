package io.miaosha.worker.orders;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestDatabase;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.MySqlBehindProxy;
import io.miaosha.worker.testing.Orders;
import io.miaosha.worker.testing.TestData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A MySQL outage is back-pressure, not poison: orders, expiries delivered while the database is
 * unreachable wait (well past the old 1.5 s at which they were parked) and are all written once it
 * is back, with nothing parked.
 */
@QuarkusTest
@TestProfile(MySqlBehindProxy.class)
@QuarkusTestResource(ElasticMqResource.class)
class MySqlOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @Inject
    TestData data;

    @Test
    void ordersAndExpiriesDeliveredDuringAnOutageWaitAndAreWrittenWhenItEnds() throws Exception {
        long saleId = data.armedSale(1, 1_000);
        long payBy = System.currentTimeMillis() - 1;
        String held = data.pendingOrder(saleId, data.user().id(), 1, payBy);
        long orderSale = Orders.unusedSaleId();
        List<OrderPlaced> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            orders.add(Orders.placed(orderSale, 100 + i, 1));
        }
        try (Broker broker = Broker.workerTests(); TestDatabase db = TestDatabase.connect()) {
            Broker.Tap parked = broker.tapParking();
            String parkedExpiries = OrderTopology.parkedQueue(OrderChannels.EXPIRE_QUEUE);
            broker.purge(parkedExpiries);

            MySqlBehindProxy.PROXY.cut();
            try {
                broker.publishAll(orders.stream().map(Orders::json).toList(), orders.stream().map(OrderPlaced::orderId).toList());
                broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY,
                        "{\"orderId\":\"%s\",\"saleId\":%d,\"payByMs\":%d}".formatted(held, saleId, payBy));
                Thread.sleep(OUTAGE.toMillis());
                assertEquals(0, db.orderCount(orderSale), "nothing reaches MySQL yet");
                assertEquals("PENDING_PAYMENT", db.order(held).orElseThrow().status());
            } finally {
                MySqlBehindProxy.PROXY.restore();
            }

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    db.orderCount(orderSale) == orders.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> "EXPIRED".equals(db.order(held).orElseThrow().status()));
            for (OrderPlaced order : orders) {
                assertFalse(parked.got(order.orderId()), "order " + order.orderId() + " was parked");
            }
            assertEquals(0, broker.messagesReady(parkedExpiries), "the expiry was not parked");
            assertEquals(orders.size(), db.historyCount(orderSale), "one history row each");
        }
    }
}
