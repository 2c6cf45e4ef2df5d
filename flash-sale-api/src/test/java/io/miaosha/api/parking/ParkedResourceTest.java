package io.miaosha.api.parking;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderTopology;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Admins list parked messages with their reason and replay them to their work queue. */
@QuarkusTest
class ParkedResourceTest {

    private static final String PARKED = OrderTopology.parkedQueue(OrderChannels.PAID_QUEUE);

    @Inject
    TestUsers users;

    @Test
    void parkedMessageIsListedWithItsReasonAndReplayedToItsWorkQueue() throws Exception {
        TestUser admin = users.admin();
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            OrderTopology.declare(channel);
            for (String queue : ParkedMessages.parkedQueues()) {
                channel.queuePurge(queue);
            }
            channel.queuePurge(OrderChannels.PAID_QUEUE);
            // What the worker does with a poison message.
            channel.basicPublish(OrderTopology.PARKING_EXCHANGE, OrderChannels.PAID_QUEUE, new AMQP.BasicProperties.Builder()
                    .messageId("order-1").contentType("application/json").deliveryMode(2)
                    .headers(Map.of(OrderTopology.PARKED_REASON_HEADER, "malformed OrderPaid: orderId",
                            OrderTopology.RETRIES_HEADER, "2", "trace", "t-1"))
                    .build(), "{\"orderId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            org.awaitility.Awaitility.await().until(() -> channel.messageCount(PARKED) == 1);

            given().header("Authorization", admin.bearer()).get("/api/admin/parked").then().statusCode(200)
                    .body("messages", hasSize(1))
                    .body("messages[0].queue", equalTo(PARKED))
                    .body("messages[0].replaysTo", equalTo(OrderChannels.PAID_QUEUE))
                    .body("messages[0].messageId", equalTo("order-1"))
                    .body("messages[0].reason", equalTo("malformed OrderPaid: orderId"))
                    .body("messages[0].retries", equalTo(2))
                    .body("messages[0].body", equalTo("{\"orderId\":\"x\"}"));
            assertEquals(1, channel.messageCount(PARKED), "listing leaves the message parked");

            given().header("Authorization", admin.bearer()).post("/api/admin/parked/replay?messageId=other")
                    .then().statusCode(200).body("replayed", equalTo(0));
            given().header("Authorization", admin.bearer()).post("/api/admin/parked/replay?queue=" + PARKED)
                    .then().statusCode(200).body("replayed", equalTo(1));

            assertEquals(0, channel.messageCount(PARKED));
            GetResponse replayed = channel.basicGet(OrderChannels.PAID_QUEUE, true);
            assertNotNull(replayed, "back on its work queue");
            assertEquals("{\"orderId\":\"x\"}", new String(replayed.getBody(), StandardCharsets.UTF_8));
            assertEquals("order-1", replayed.getProps().getMessageId());
            assertNull(replayed.getProps().getHeaders().get(OrderTopology.PARKED_REASON_HEADER), "a fresh start");
            assertNull(replayed.getProps().getHeaders().get(OrderTopology.RETRIES_HEADER));
            assertEquals("t-1", replayed.getProps().getHeaders().get("trace").toString());
        }
    }

    @Test
    void onlyAdminsMayListOrReplayAndUnknownQueuesAreRefused() {
        TestUser admin = users.admin();
        TestUser shopper = users.shopper();
        assertProblem(given().header("Authorization", shopper.bearer()).get("/api/admin/parked").then(), 403, "forbidden");
        assertProblem(given().header("Authorization", shopper.bearer()).post("/api/admin/parked/replay").then(), 403, "forbidden");
        assertProblem(given().get("/api/admin/parked").then(), 401, "not-authenticated");
        assertProblem(given().header("Authorization", admin.bearer()).post("/api/admin/parked/replay?queue=miaosha.orders.paid")
                .then(), 400, "invalid-request");
        assertProblem(given().header("Authorization", admin.bearer()).get("/api/admin/parked?limit=0").then(), 400, "invalid-request");
    }

    private static Connection connect() throws Exception {
        var config = ConfigProvider.getConfig();
        return OrderTopology.connectionFactory(config.getValue("rabbitmq-host", String.class),
                config.getValue("rabbitmq-port", Integer.class), config.getValue("rabbitmq-username", String.class),
                config.getValue("rabbitmq-password", String.class), config.getValue("rabbitmq-virtual-host", String.class))
                .newConnection("parked-test");
    }
}
