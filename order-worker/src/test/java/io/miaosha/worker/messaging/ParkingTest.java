package io.miaosha.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Poison goes to the parking queue at once; a failure that does not pass is retried with back-off, then parked. */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class ParkingTest {

    @Inject
    TestData data;

    @Test
    void malformedMessageIsParkedAtOnceWithItsReason() throws Exception {
        try (Broker broker = Broker.workerTests()) {
            String parked = OrderTopology.parkedQueue(OrderChannels.PAID_QUEUE);
            broker.purge(parked);
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PAID_ROUTING_KEY, "{\"orderId\":\"nope\"}");
            AtomicReference<GetResponse> message = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                message.set(broker.take(parked));
                return message.get() != null;
            });
            String reason = message.get().getProps().getHeaders().get(OrderTopology.PARKED_REASON_HEADER).toString();
            assertTrue(reason.startsWith("malformed OrderPaid"), reason);
            assertEquals("{\"orderId\":\"nope\"}", new String(message.get().getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void bodyThatIsNotJsonIsParkedAndTheConsumerGoesOn() throws Exception {
        long saleId = data.armedSale(3, 600_000);
        TestData.User shopper = data.user();
        long payBy = System.currentTimeMillis() - 1;
        String orderId = data.pendingOrder(saleId, shopper.id(), 1, payBy);
        try (Broker broker = Broker.workerTests()) {
            String parked = OrderTopology.parkedQueue(OrderChannels.EXPIRE_QUEUE);
            broker.purge(parked);
            // No content type, not JSON: the connector hands the consumer raw bytes.
            broker.channel().basicPublish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY, null,
                    "garbage".getBytes(StandardCharsets.UTF_8));
            broker.channel().waitForConfirmsOrDie(5000);
            AtomicReference<GetResponse> message = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                message.set(broker.take(parked));
                return message.get() != null;
            });
            String reason = message.get().getProps().getHeaders().get(OrderTopology.PARKED_REASON_HEADER).toString();
            assertTrue(reason.startsWith("malformed HoldDue: not a JSON object"), reason);
            assertEquals("garbage", new String(message.get().getBody(), StandardCharsets.UTF_8));

            // The consumer is still consuming: a good message after the poison one is handled.
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY,
                    "{\"orderId\":\"%s\",\"saleId\":%d,\"payByMs\":%d}".formatted(orderId, saleId, payBy));
            await().atMost(Duration.ofSeconds(10)).until(() -> "EXPIRED".equals(data.status(orderId)));
        }
    }

    @Test
    void failureThatPersistsIsRetriedWithBackOffThenParked() throws Exception {
        long saleId = data.armedSale(5, 600_000);
        String orderId = OrderIds.next();
        long started = System.currentTimeMillis();
        try (Broker broker = Broker.workerTests()) {
            String parked = OrderTopology.parkedQueue(OrderChannels.PAID_QUEUE);
            broker.purge(parked);
            // An OrderPaid whose order row never arrives.
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PAID_ROUTING_KEY, """
                    {"orderId":"%s","saleId":%d,"userId":1,"quantity":1,"unitPriceMinor":100,"currency":"EUR",
                     "paymentId":"pay_x","paidAtMs":1}""".formatted(orderId, saleId));
            AtomicReference<GetResponse> message = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                message.set(broker.take(parked));
                return message.get() != null;
            });
            long took = System.currentTimeMillis() - started;
            var headers = message.get().getProps().getHeaders();
            assertNotNull(headers);
            String reason = headers.get(OrderTopology.PARKED_REASON_HEADER).toString();
            assertTrue(reason.startsWith("gave up after 6 attempts: NotYetPersisted"), reason);
            assertEquals("5", headers.get(OrderTopology.RETRIES_HEADER).toString());
            // Back-offs of 0.2 + 0.4 + 0.8 + 1.6 + 3.2 s passed through the retry queue.
            assertTrue(took >= 6000, "backed off between tries: " + took + " ms");
            assertTrue(List.of(orderId).contains(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(message.get().getBody()).get("orderId").asText()));
        }
    }
}
