package io.miaosha.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestDatabase;
import io.miaosha.testsupport.TestStores;
import io.miaosha.worker.testing.CuttableProxy;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.Orders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker's broker connection drops while a whole prefetch of orders is unacked on it (MySQL is
 * away, so none can be acked). On reconnect the broker redelivers them all at once; the orders
 * channel must take that burst and keep consuming, so every order still reaches MySQL and none is
 * parked. Before {@link ReconnectBurstBuffer}, the burst overflowed the stream's 256-message buffer
 * and the channel stopped for good (seen when the whole broker restarted under load).
 */
@QuarkusTest
@TestProfile(BrokerReconnectBurstTest.BrokerAndMySqlBehindProxies.class)
@QuarkusTestResource(ElasticMqResource.class)
class BrokerReconnectBurstTest {

    /** The orders channel's prefetch (max-outstanding-messages), in messages. */
    private static final int PREFETCH = 512;
    /** More than a prefetch, so a full prefetch is unacked at the drop. */
    private static final int ORDERS = 1_500;
    private static final String PERSIST_QUEUE = OrderChannels.ORDERS_QUEUE;

    @Test
    void aWholePrefetchRedeliveredAtOnceAfterAReconnectIsAllWritten() throws Exception {
        long saleId = Orders.unusedSaleId();
        List<OrderPlaced> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(Orders.placed(saleId, 1_000 + i, 1));
        }
        try (Broker broker = Broker.workerTests(); TestDatabase db = TestDatabase.connect()) {
            Broker.Tap parked = broker.tapParking();
            BrokerAndMySqlBehindProxies.MYSQL.cut();
            // The counts below are the queue's: start it empty (the worker writes nothing meanwhile).
            broker.purge(PERSIST_QUEUE);
            try {
                broker.publishAll(orders.stream().map(Orders::json).toList(), orders.stream().map(OrderPlaced::orderId).toList());
                // The worker holds its prefetch unacked; the rest wait ready in the queue.
                await().atMost(Duration.ofSeconds(30)).until(() -> broker.messagesReady(PERSIST_QUEUE) <= ORDERS - PREFETCH);

                BrokerAndMySqlBehindProxies.BROKER.cut();
                // The broker saw the connection go: everything it had handed out is ready again.
                await().atMost(Duration.ofSeconds(30)).until(() -> broker.messagesReady(PERSIST_QUEUE) == ORDERS);
                BrokerAndMySqlBehindProxies.BROKER.restore();
                // The connector retries every few seconds; once back it is handed a full prefetch at once.
                await().atMost(Duration.ofSeconds(60)).until(() -> broker.messagesReady(PERSIST_QUEUE) <= ORDERS - PREFETCH);
                assertEquals(0, db.orderCount(saleId), "nothing reaches MySQL yet");
            } finally {
                BrokerAndMySqlBehindProxies.MYSQL.restore();
            }

            await().atMost(Duration.ofSeconds(90)).until(() -> db.orderCount(saleId) == ORDERS);
            for (OrderPlaced order : orders) {
                assertFalse(parked.got(order.orderId()), "order " + order.orderId() + " was parked");
            }
        }
    }

    /** The worker reaches both the broker and MySQL through proxies the test can cut. */
    public static class BrokerAndMySqlBehindProxies implements QuarkusTestProfile {

        static final CuttableProxy MYSQL = CuttableProxy.to(3306);
        static final CuttableProxy BROKER = CuttableProxy.to(5672);

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", "mysql://127.0.0.1:" + MYSQL.port() + "/" + TestStores.DB,
                    "quarkus.datasource.reactive.idle-timeout", "PT5S",
                    "miaosha.retry.outage-max-back-off", "PT1S",
                    "rabbitmq-port", String.valueOf(BROKER.port()),
                    "mp.messaging.connector.smallrye-rabbitmq.reconnect-interval", "2");
        }
    }
}
