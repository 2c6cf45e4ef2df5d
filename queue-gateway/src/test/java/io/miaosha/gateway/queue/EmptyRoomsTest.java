package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A room lives from its first socket to its last: no per-sale memory is left behind on this instance. */
@QuarkusTest
class EmptyRoomsTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @Inject
    Rooms rooms;
    @TestHTTPResource("/")
    URL url;
    private QueueSales sales;

    @BeforeEach
    void sales() {
        sales = new QueueSales(redis);
    }

    @AfterEach
    void stopTickingTheSales() {
        sales.unqueueArmed();
    }

    @Test
    void theLastSocketClosingDropsTheRoom() {
        long saleId = sales.live(10, 1, 600_000);
        QueueClient inside = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        inside.await("admitted", Duration.ofSeconds(5));
        QueueClient waiting = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        waiting.await("position", Duration.ofSeconds(5));
        assertNotNull(rooms.find(saleId));

        inside.close();
        QueueClient.sleep(300);
        assertNotNull(rooms.find(saleId), "one socket is still here");
        waiting.leave();

        await().atMost(Duration.ofSeconds(3)).until(() -> rooms.find(saleId) == null);
    }

    @Test
    void everyJoinPutsItsSaleBackInTheQueuedSalesEvenWhileTheRoomStaysOpen() {
        long saleId = sales.live(10, 1, 600_000);
        QueueClient first = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        first.await("admitted", Duration.ofSeconds(5));
        // The set lost the sale (a node's data, or a loop that found it over) while this room stays open.
        sales.unqueue(saleId);

        QueueClient second = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        second.await("position", Duration.ofSeconds(5));

        assertNotNull(rooms.find(saleId), "the same room");
        assertTrue(sales.queued(saleId), "the join repaired the queued sales");
        first.close();
        second.leave();
        await().atMost(Duration.ofSeconds(3)).until(() -> rooms.find(saleId) == null);
    }

    @Test
    void aRoomOpenedAgainAfterItWasDroppedPutsItsSaleBackInTheQueuedSales() {
        long saleId = sales.live(10, 1, 600_000);
        long user = sales.nextUserId();
        QueueClient first = QueueClient.connect(vertx, url.getPort(), saleId, user);
        first.await("admitted", Duration.ofSeconds(5));
        first.leave();
        await().atMost(Duration.ofSeconds(3)).until(() -> rooms.find(saleId) == null);
        // As an admission loop does once a sale is over and empty.
        sales.unqueue(saleId);

        QueueClient back = QueueClient.connect(vertx, url.getPort(), saleId, user);
        back.await("admitted", Duration.ofSeconds(5));

        assertTrue(sales.queued(saleId), "the new room announced its sale");
        assertEquals(1, sales.insideCount(saleId));
        back.close();
        await().atMost(Duration.ofSeconds(3)).until(() -> rooms.find(saleId) == null);
    }
}
