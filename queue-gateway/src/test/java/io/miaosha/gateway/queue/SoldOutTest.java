package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.sale.SaleKeys;
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
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * No units left while unpaid holds may still return some pauses the queue (told to everyone, nobody
 * admitted, newcomers may still queue); a returned unit resumes admission. No units left and no
 * unpaid hold is the end: every waiting shopper is told at once and the door closes.
 */
@QuarkusTest
class SoldOutTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;

    @Test
    void everyUnitInACartPausesTheQueueAndAReturnedUnitResumesAdmission() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(1, 1, 600_000);
        Line line = line(sales, saleId);
        QueueClient inside = line.inside(), second = line.second(), third = line.third();

        long payBy = System.currentTimeMillis() + 120_000;
        unpaidHold(saleId, "order-in-a-cart", payBy);
        sales.setStock(saleId, 0);
        sales.publishSaleEvent("SOLD_OUT", saleId);
        await().atMost(Duration.ofSeconds(2)).until(() -> isState(second, "paused") && isState(third, "paused"));
        JsonObject paused = second.last("sale");
        assertEquals(1, paused.getLong("unpaidHolds"));
        assertEquals(Instant.ofEpochMilli(payBy).toString(), paused.getString("nextHoldEndsAt"));

        QueueClient newcomer = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        newcomer.await("sale", Duration.ofSeconds(5));
        assertFalse(newcomer.closed, "a paused sale still lets a shopper queue for the units that may come back");

        inside.leave();
        QueueClient.sleep(1000);
        assertNull(second.first("admitted"), "nobody is admitted while every unit is in a cart");

        redis.sortedSet(String.class).zrem(new SaleKeys(saleId).holdDeadlines(), "order-in-a-cart");
        sales.setStock(saleId, 1);
        sales.publishSaleEvent("STOCK_RETURNED", saleId);
        await().atMost(Duration.ofSeconds(2)).until(() -> isState(second, "live"));
        second.await("admitted", Duration.ofSeconds(3));
        assertNull(third.first("admitted"));
    }

    @Test
    void soldOutWithNoUnpaidHoldEndsTheQueueForEveryoneAtOnce() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(1, 1, 600_000);
        Line line = line(sales, saleId);
        QueueClient inside = line.inside(), second = line.second(), third = line.third();

        sales.setStock(saleId, 0);
        sales.publishSaleEvent("SOLD_OUT", saleId);
        for (QueueClient waiting : new QueueClient[] {second, third}) {
            assertEquals("sold_out", waiting.await("closed", Duration.ofSeconds(3)).getString("reason"));
            assertTrue(isState(waiting, "sold_out"));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> second.closed && third.closed);

        QueueClient newcomer = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        assertEquals("sold_out", newcomer.await("closed", Duration.ofSeconds(5)).getString("reason"));
        await().atMost(Duration.ofSeconds(2)).until(() -> newcomer.closed);
        // Even the shopper inside has nothing left to buy.
        await().atMost(Duration.ofSeconds(2)).until(() -> inside.closed);
        sales.unqueueArmed();
    }

    /** One unit, capacity one: a shopper inside and two waiting behind it. */
    private record Line(QueueClient inside, QueueClient second, QueueClient third) {
    }

    private Line line(QueueSales sales, long saleId) {
        QueueClient inside = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        inside.await("admitted", Duration.ofSeconds(5));
        QueueClient second = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        QueueClient third = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        third.await("position", Duration.ofSeconds(5));
        return new Line(inside, second, third);
    }

    private void unpaidHold(long saleId, String orderId, long payByMs) {
        redis.sortedSet(String.class).zadd(new SaleKeys(saleId).holdDeadlines(), payByMs, orderId);
    }

    private static boolean isState(QueueClient client, String state) {
        JsonObject last = client.last("sale");
        return last != null && state.equals(last.getString("state"));
    }
}
