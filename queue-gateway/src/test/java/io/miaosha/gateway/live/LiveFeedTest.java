package io.miaosha.gateway.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.gateway.testing.LiveViewer;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live feed of a sale page: every viewer, signed in or not, is told each change once, from one encoding. */
@QuarkusTest
class LiveFeedTest {

    private static final int VIEWERS = 200;

    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    Vertx vertx;
    @Inject
    LiveFeeds feeds;
    @TestHTTPResource("/")
    URL url;
    private QueueSales sales;
    private final List<LiveViewer> opened = new ArrayList<>();

    @BeforeEach
    void sales() {
        sales = new QueueSales(redis);
    }

    @AfterEach
    void closeViewers() {
        opened.forEach(LiveViewer::close);
        sales.unqueueArmed();
    }

    @Test
    void everyViewerGetsOneFrameWithinASecondOfAPurchase() {
        long saleId = sales.live(10, 1, 600_000);
        sales.withoutWaitingRoom(saleId);
        for (int i = 0; i < VIEWERS; i++) {
            opened.add(LiveViewer.open(vertx, url.getPort(), saleId));
        }
        for (LiveViewer viewer : opened) {
            JsonObject first = viewer.received.get(0);
            assertEquals("sale", first.getString("type"));
            assertEquals("live", first.getString("state"));
            assertEquals(10, first.getLong("unitsLeft"));
        }
        LiveFeed feed = feeds.find(saleId);
        assertEquals(VIEWERS, feed.size());
        long encodedBefore = feed.encoded();
        // A quiet sale sends nothing more.
        QueueClient.sleep(1200);
        assertTrue(opened.stream().allMatch(v -> v.received.size() == 1), "no frame without a change");

        long boughtAt = System.currentTimeMillis();
        PurchaseScript.Result bought = new PurchaseScript(reactiveRedis).run(new PurchaseScript.Request(saleId,
                sales.nextUserId(), 2, UUID.randomUUID().toString(), 0, null, null, 60, null)).await().indefinitely();
        assertInstanceOf(PurchaseScript.Result.Accepted.class, bought);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> opened.stream().allMatch(v -> v.received.size() >= 2));
        long lastAt = System.currentTimeMillis();
        QueueClient.sleep(1200);
        for (LiveViewer viewer : opened) {
            assertEquals(2, viewer.received.size(), "one frame per change: " + viewer.received);
            assertEquals(8, viewer.last().getLong("unitsLeft"));
        }
        assertEquals(encodedBefore + 1, feed.encoded(), "the change was encoded once for all " + VIEWERS + " viewers");
        System.out.printf("LiveFeedTest: %d viewers told of a purchase within %d ms%n", VIEWERS, lastAt - boughtAt);
    }

    @Test
    void aSaleThatIsNotArmedIsRefusedAndLeavesNothing() {
        long saleId = sales.unknownSaleId();
        LiveViewer viewer = LiveViewer.open(vertx, url.getPort(), saleId);
        await().atMost(Duration.ofSeconds(3)).until(() -> viewer.closeCode != null);

        assertEquals("sale-not-available", viewer.received.get(0).getString("reason"));
        assertEquals((short) 4404, viewer.closeCode);
        assertEquals("sale-not-available", viewer.closeReason);
        assertNull(feeds.find(saleId), "no feed kept");
        assertEquals(List.of(), sales.keys(saleId), "nothing written to Redis");
    }

    @Test
    void aBadSaleIdIsRefused() {
        LiveViewer viewer = LiveViewer.open(vertx, url.getPort(), "03");
        await().atMost(Duration.ofSeconds(3)).until(() -> viewer.closeCode != null);
        assertEquals((short) 4400, viewer.closeCode);
        assertEquals("bad-sale-id", viewer.received.get(0).getString("reason"));
    }

    @Test
    void soldOutIsPushedAndTheLastViewerClosingDropsTheFeed() {
        long saleId = sales.live(3, 1, 600_000);
        LiveViewer first = LiveViewer.open(vertx, url.getPort(), saleId);
        LiveViewer second = LiveViewer.open(vertx, url.getPort(), saleId);
        assertNotNull(feeds.find(saleId));

        sales.setStock(saleId, 0);
        sales.publishSaleEvent("SOLD_OUT", saleId);
        await().atMost(Duration.ofSeconds(1)).until(() -> "sold_out".equals(second.last().getString("state")));
        assertEquals(0, first.last().getLong("unitsLeft"));

        first.close();
        QueueClient.sleep(200);
        assertNotNull(feeds.find(saleId), "one viewer is still here");
        second.close();
        await().atMost(Duration.ofSeconds(3)).until(() -> feeds.find(saleId) == null);
    }

    @Test
    void aViewerThatSendsAFrameIsClosed() {
        long saleId = sales.live(3, 1, 600_000);
        LiveViewer viewer = LiveViewer.open(vertx, url.getPort(), saleId);
        viewer.send("{\"type\":\"leave\"}");
        await().atMost(Duration.ofSeconds(3)).until(() -> viewer.closeCode != null);
        assertEquals((short) 1008, viewer.closeCode);
        await().atMost(Duration.ofSeconds(3)).until(() -> feeds.find(saleId) == null);
    }
}
