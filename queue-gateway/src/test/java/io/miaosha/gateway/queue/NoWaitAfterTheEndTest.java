package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once a sale sold out or ended, no waiting socket is shown a wait again (issue 16: every waiting
 * socket used to get one more position frame after {@code sold_out}). Places move every second here
 * (capacity 2, windows of 1 s), so positions are on their way to every socket when the end comes.
 */
@QuarkusTest
class NoWaitAfterTheEndTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;
    private QueueSales armed;

    @AfterEach
    void stopTickingTheSales() {
        if (armed != null) {
            armed.unqueueArmed();
        }
    }

    @Test
    void afterSoldOutNoPositionArrives() {
        armed = new QueueSales(redis);
        long saleId = armed.live(1000, 2, 1000);
        List<QueueClient> waiting = movingLine(saleId);

        armed.setStock(saleId, 0);
        armed.publishSaleEvent("SOLD_OUT", saleId);
        assertNoPositionAfterTheEnd(waiting, "sold_out");
    }

    @Test
    void afterTheSaleEndedNoPositionArrives() {
        armed = new QueueSales(redis);
        long now = System.currentTimeMillis();
        long saleId = armed.arm(now - 1000, now + 6000, 1000, 2, 1000);
        List<QueueClient> waiting = movingLine(saleId);

        assertNoPositionAfterTheEnd(waiting, "ended");
    }

    /** 20 shoppers, a few of them admitted, the rest told their place and moving up. */
    private List<QueueClient> movingLine(long saleId) {
        List<QueueClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(QueueClient.connect(vertx, url.getPort(), saleId, armed.nextUserId()));
        }
        QueueClient last = clients.getLast();
        last.await("position", Duration.ofSeconds(5));
        QueueClient.sleep(2500);
        assertTrue(last.received.stream().filter(m -> m.getString("type").equals("position")).count() >= 2,
                "places move before the end: " + last.received);
        return clients;
    }

    private static void assertNoPositionAfterTheEnd(List<QueueClient> line, String reason) {
        await().atMost(Duration.ofSeconds(10)).until(() -> line.stream().allMatch(c -> c.first("closed") != null));
        // Those admitted before the end were inside (their window ends them): only those still waiting count.
        List<QueueClient> waiting = line.stream().filter(c -> c.first("admitted") == null).toList();
        for (QueueClient client : waiting) {
            assertEquals(reason, client.first("closed").getString("reason"));
        }
        // Anything still on its way arrives meanwhile (a push period and more).
        QueueClient.sleep(1500);
        for (QueueClient client : waiting) {
            List<JsonObject> received = client.received;
            int end = -1;
            for (int i = 0; i < received.size(); i++) {
                JsonObject message = received.get(i);
                if (message.getString("type").equals("sale") && message.getString("state").equals(reason)) {
                    end = i;
                    break;
                }
            }
            assertTrue(end >= 0, "told the sale is " + reason + ": " + received);
            List<JsonObject> after = received.subList(end + 1, received.size());
            assertTrue(after.stream().noneMatch(m -> m.getString("type").equals("position")),
                    "no position after the sale was " + reason + ": " + after);
            assertEquals("closed", after.getLast().getString("type"), "the close is the last word: " + after);
            assertTrue(client.closed, "the socket is closed");
        }
        assertTrue(waiting.size() >= 5, "most of the line was still waiting: " + waiting.size());
    }
}
