package io.miaosha.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A payment that arrives long before its order row (a backlog after an outage) outlives its attempts:
 * it waits for the row as long as order-row-wait allows, then is applied, never parked.
 */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
@TestProfile(LateOrderRowTest.WaitsForTheRow.class)
class LateOrderRowTest {

    public static class WaitsForTheRow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Three attempts take 0.6 s; the row comes after about 3 s.
            return Map.of("miaosha.retry.attempts", "3", "miaosha.retry.max-back-off", "PT1S",
                    "miaosha.retry.order-row-wait", "PT60S");
        }
    }

    @Inject
    TestData data;

    @Test
    void aPaymentWhoseRowComesAfterItsAttemptsIsAppliedNotParked() throws Exception {
        long saleId = data.armedSale(5, 600_000);
        TestData.User shopper = data.user();
        String orderId = OrderIds.next();
        try (Broker broker = Broker.workerTests()) {
            String parked = OrderTopology.parkedQueue(OrderChannels.PAID_QUEUE);
            broker.purge(parked);
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PAID_ROUTING_KEY, """
                    {"orderId":"%s","saleId":%d,"userId":%d,"quantity":1,"unitPriceMinor":100,"currency":"EUR",
                     "paymentId":"pay_late","paidAtMs":1}""".formatted(orderId, saleId, shopper.id()));
            Thread.sleep(3_000); // the three attempts are long over
            assertNull(broker.take(parked), "parked before its order row could arrive");

            data.insertOrders(saleId, List.of(new TestData.Row(orderId, shopper.id(), 1, System.currentTimeMillis() + 600_000)));
            await().atMost(Duration.ofSeconds(30)).until(() -> "PAID".equals(data.status(orderId)));
            assertNull(broker.take(parked));
            assertEquals(1, data.count("SELECT COUNT(*) FROM order_status_history WHERE order_id = ? AND status = 'PAID'", orderId));
        }
    }
}
