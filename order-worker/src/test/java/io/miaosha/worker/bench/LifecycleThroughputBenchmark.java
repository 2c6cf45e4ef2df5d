package io.miaosha.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Not a test (the name keeps it out of the default run): how fast the worker ends holds. N holds
 * due now are expired through the expiry queue, and N paid orders go through the payment queue
 * (MySQL PAID + an SQS job each). Run: {@code ./mvnw -pl order-worker test -Dtest=LifecycleThroughputBenchmark
 * -Dbench.orders=5000}; results go to loadtest/results/lifecycle.md.
 */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class LifecycleThroughputBenchmark {

    private static final int ORDERS = Integer.getInteger("bench.orders", 2000);

    @Inject
    TestData data;
    @Inject
    RedisDataSource redis;

    @Test
    void expiriesAndPaymentsPerSecond() throws Exception {
        long saleId = data.armedSale(2 * ORDERS, 1000);
        SaleKeys keys = new SaleKeys(saleId);
        List<TestData.User> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(data.user());
        }
        long payBy = System.currentTimeMillis();
        List<TestData.Row> expiring = new ArrayList<>();
        List<TestData.Row> paying = new ArrayList<>();
        Map<String, String> holds = new HashMap<>();
        for (int i = 0; i < 2 * ORDERS; i++) {
            TestData.Row row = new TestData.Row(OrderIds.next(), users.get(i % users.size()).id(), 1, payBy);
            (i % 2 == 0 ? expiring : paying).add(row);
            holds.put(row.orderId(), row.userId() + "|1|" + payBy + (i % 2 == 0 ? "|PENDING" : "|PAID|pay_" + i));
        }
        data.insertOrders(saleId, expiring);
        data.insertOrders(saleId, paying);
        redis.value(String.class).decrby(keys.stock(), 2L * ORDERS);
        for (TestData.User user : users) {
            redis.hash(String.class).hincrby(keys.userUnits(), Long.toString(user.id()), 2L * ORDERS / users.size());
        }
        redis.hash(String.class).hset(keys.holds(), holds);

        try (Broker broker = Broker.workerTests()) {
            long started = System.nanoTime();
            for (TestData.Row row : expiring) {
                broker.channel().basicPublish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY, null,
                        ("{\"orderId\":\"" + row.orderId() + "\",\"saleId\":" + saleId + ",\"payByMs\":" + payBy + "}").getBytes());
            }
            broker.channel().waitForConfirmsOrDie(60_000);
            waitFor("EXPIRED", saleId, ORDERS);
            double expirySeconds = (System.nanoTime() - started) / 1e9;

            started = System.nanoTime();
            for (TestData.Row row : paying) {
                broker.channel().basicPublish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PAID_ROUTING_KEY, null,
                        ("{\"orderId\":\"" + row.orderId() + "\",\"saleId\":" + saleId + ",\"userId\":" + row.userId()
                                + ",\"quantity\":1,\"unitPriceMinor\":" + TestData.PRICE + ",\"currency\":\"EUR\",\"paymentId\":\"pay_"
                                + row.orderId() + "\",\"paidAtMs\":" + payBy + "}").getBytes());
            }
            broker.channel().waitForConfirmsOrDie(60_000);
            while (data.count("SELECT COUNT(*) FROM orders WHERE sale_id = ? AND confirmation_queued_at IS NOT NULL", saleId) < ORDERS) {
                Thread.sleep(50);
            }
            double paymentSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("BENCH orders=%d expiry: %.2f s (%.0f/s) payment+email job: %.2f s (%.0f/s)%n",
                    ORDERS, expirySeconds, ORDERS / expirySeconds, paymentSeconds, ORDERS / paymentSeconds);
            assertEquals(Long.toString(ORDERS), redis.value(String.class).get(keys.stock()));
        }
    }

    private void waitFor(String status, long saleId, int count) throws InterruptedException {
        while (data.count("SELECT COUNT(*) FROM orders WHERE sale_id = ? AND status = ?", saleId, status) < count) {
            Thread.sleep(50);
        }
    }
}
