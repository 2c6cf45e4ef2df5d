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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue knows the stock and the shopper: a shopper who already has the most a shopper may is
 * refused at once (and skipped when its ticket reaches the front), every page hears the units left
 * as they change, and nobody is shown a wait while nothing is left to buy.
 */
@QuarkusTest
class StockAwareQueueTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;

    private QueueSales sales;

    @BeforeEach
    void sales() {
        sales = new QueueSales(redis);
    }

    @AfterEach
    void unqueue() {
        sales.unqueueArmed();
    }

    @Test
    void aShopperAtTheLimitIsRefusedWithTheReasonAndLeavesNothingBehind() {
        long saleId = sales.live(10, 1, 600_000);
        long userId = sales.nextUserId();
        holds(saleId, userId, 2);

        QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, userId);
        JsonObject error = client.await("error", Duration.ofSeconds(5));
        assertEquals("limit-reached", error.getString("reason"));
        assertTrue(error.getString("message").contains("2 of this sale's 2 per shopper"), error.getString("message"));
        await().atMost(Duration.ofSeconds(2)).until(() -> client.closed);
        assertNull(sales.ticket(saleId, userId), "no ticket");
        assertEquals(0L, sales.sockets(saleId, userId), "no socket counted");
    }

    @Test
    void aTicketWhoseShopperReachedTheLimitMeanwhileIsSkippedAndTheNextIsAdmitted() {
        long saleId = sales.live(10, 1, 600_000);
        QueueClient inside = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        inside.await("admitted", Duration.ofSeconds(5));
        long boughtElsewhere = sales.nextUserId();
        QueueClient waiting = QueueClient.connect(vertx, url.getPort(), saleId, boughtElsewhere);
        waiting.await("position", Duration.ofSeconds(5));
        QueueClient next = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        next.await("position", Duration.ofSeconds(5));

        holds(saleId, boughtElsewhere, 2);
        inside.leave();

        next.await("admitted", Duration.ofSeconds(5));
        assertEquals("limit-reached", waiting.await("error", Duration.ofSeconds(5)).getString("reason"));
        assertNull(waiting.first("admitted"), "the shopper at the limit got no slot");
        assertFalse(sales.inside(saleId, boughtElsewhere));
    }

    @Test
    void everyPageHearsTheUnitsLeftAsTheyChangeAndNoWaitWhilePaused() {
        long saleId = sales.live(5, 1, 600_000);
        QueueClient inside = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        inside.await("admitted", Duration.ofSeconds(5));
        QueueClient waiting = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        JsonObject first = waiting.await("position", Duration.ofSeconds(5));
        assertEquals(5, waiting.last("sale").getLong("unitsLeft"));
        // One shopper inside ahead, at most 2 units each: 5 left is enough whatever it buys.
        assertEquals("likely", first.getString("chance"));

        // A purchase changes the stock without any sale event: the next read tells every page.
        sales.setStock(saleId, 3);
        await().atMost(Duration.ofSeconds(3)).until(() -> unitsLeft(waiting) == 3 && unitsLeft(inside) == 3);

        redis.sortedSet(String.class).zadd(new SaleKeys(saleId).holdDeadlines(), System.currentTimeMillis() + 60_000, "held-order");
        sales.setStock(saleId, 0);
        await().atMost(Duration.ofSeconds(3)).until(() -> "paused".equals(waiting.last("sale").getString("state")));
        int frames = waiting.received.size();
        QueueClient.sleep(2_500);
        List<JsonObject> after = waiting.received.subList(frames, waiting.received.size());
        assertTrue(after.stream().noneMatch(m -> "position".equals(m.getString("type"))),
                "no wait is shown while every unit is in a cart: " + after);
        assertFalse(waiting.closed, "a paused queue keeps its shoppers");
    }

    private static long unitsLeft(QueueClient client) {
        JsonObject sale = client.last("sale");
        return sale == null ? -1 : sale.getLong("unitsLeft");
    }

    /** What the purchase script records for a shopper holding or having bought {@code units}. */
    private void holds(long saleId, long userId, int units) {
        redis.hash(Long.class).hset(new SaleKeys(saleId).userUnits(), Long.toString(userId), (long) units);
    }
}
