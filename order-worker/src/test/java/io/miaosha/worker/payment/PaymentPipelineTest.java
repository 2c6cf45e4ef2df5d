package io.miaosha.worker.payment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** OrderPaid → PAID in MySQL → one confirmation job on SQS; a redelivery changes nothing. */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class PaymentPipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestData data;
    @Inject
    RedisDataSource redis;

    @Test
    void orderPaidMakesTheOrderPaidQueuesOneEmailAndIsIdempotent() throws Exception {
        long saleId = data.armedSale(10, 600_000);
        TestData.User shopper = data.user();
        String orderId = data.pendingOrder(saleId, shopper.id(), 2, System.currentTimeMillis() + 600_000);
        List<String> events = new CopyOnWriteArrayList<>();
        var subscriber = redis.pubsub(String.class).subscribe(OrderUpdate.CHANNEL, events::add);
        String message = """
                {"orderId":"%s","saleId":%d,"userId":%d,"quantity":2,"unitPriceMinor":%d,"currency":"EUR",
                 "paymentId":"pay_test_1","paidAtMs":%d}""".formatted(orderId, saleId, shopper.id(), TestData.PRICE,
                System.currentTimeMillis());
        try (Broker broker = Broker.workerTests(); SqsClient sqs = sqs()) {
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PAID_ROUTING_KEY, message);

            await().atMost(Duration.ofSeconds(15)).until(() -> "true".equals(data.orderRow(orderId).get("queued")));
            assertEquals("PAID", data.orderRow(orderId).get("status"));
            assertEquals("pay_test_1", data.orderRow(orderId).get("paymentId"));
            assertEquals(1, data.count("SELECT COUNT(*) FROM order_status_history WHERE order_id = ? AND status = 'PAID'", orderId));

            List<JsonNode> jobs = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                jobs.addAll(receive(sqs, orderId));
                return !jobs.isEmpty();
            });
            JsonNode job = jobs.get(0);
            assertEquals(shopper.email(), job.get("recipient").asText());
            assertEquals(2 * TestData.PRICE, job.get("totalMinor").asLong());
            assertEquals("EUR", job.get("currency").asText());
            assertEquals("Lifecycle drop", job.get("saleTitle").asText());
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.contains(orderId)));
            assertEquals(new OrderUpdate(orderId, shopper.id(), saleId, OrderStatus.PAID),
                    OrderUpdate.decode(events.stream().filter(e -> e.contains(orderId)).findFirst().orElseThrow()));

            // The same message again: nothing more in MySQL, no second email, no second event.
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PAID_ROUTING_KEY, message);
            Thread.sleep(1500);
            assertTrue(receive(sqs, orderId).isEmpty(), "no second email job");
            assertEquals(1, data.count("SELECT COUNT(*) FROM order_status_history WHERE order_id = ? AND status = 'PAID'", orderId));
            assertEquals(1, events.stream().filter(e -> e.contains(orderId)).count());
        } finally {
            subscriber.unsubscribe();
        }
    }

    @Test
    void orderPaidBeforeItsOrderRowIsRetriedUntilTheRowExists() throws Exception {
        long saleId = data.armedSale(10, 600_000);
        TestData.User shopper = data.user();
        String orderId = io.miaosha.common.order.OrderIds.next();
        try (Broker broker = Broker.workerTests()) {
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.ORDER_PAID_ROUTING_KEY, """
                    {"orderId":"%s","saleId":%d,"userId":%d,"quantity":1,"unitPriceMinor":%d,"currency":"EUR",
                     "paymentId":"pay_test_2","paidAtMs":%d}""".formatted(orderId, saleId, shopper.id(), TestData.PRICE,
                    System.currentTimeMillis()));
            Thread.sleep(500);
            data.insertOrders(saleId, List.of(new TestData.Row(orderId, shopper.id(), 1, System.currentTimeMillis() + 600_000)));
            await().atMost(Duration.ofSeconds(20)).until(() -> "PAID".equals(data.status(orderId)));
        }
    }

    static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:" + ElasticMqResource.PORT))
                .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build();
    }

    /** Email jobs of this order on the queue (deleted once read); other orders' jobs are left alone. */
    static List<JsonNode> receive(SqsClient sqs, String orderId) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (Message message : sqs.receiveMessage(r -> r.queueUrl(ElasticMqResource.QUEUE_URL).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages()) {
            JsonNode job;
            try {
                job = JSON.readTree(message.body());
            } catch (com.fasterxml.jackson.core.JsonProcessingException notAJob) {
                continue; // another suite's deliberately broken message on the shared local queue
            }
            if (orderId.equals(job.path("orderId").asText())) {
                found.add(job);
                sqs.deleteMessage(r -> r.queueUrl(ElasticMqResource.QUEUE_URL).receiptHandle(message.receiptHandle()));
            }
        }
        return found;
    }
}
