package io.miaosha.gateway.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.sale.ArmSeatsScript;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.common.sale.SeatMapScript;
import io.miaosha.gateway.testing.LiveViewer;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RedisMonitor;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seat map on a seated sale's live feed: a snapshot after the {@code sale} frame, then each change
 * from one reader per sale as one frame, encoded once for all viewers; nothing for unseated sales or
 * sales nobody views.
 */
@QuarkusTest
class LiveSeatMapTest {

    private static final int VIEWERS = 200;
    private static final int SEATS = 100;

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
    void everyViewerGetsTheMapAndAPickWithinHalfASecondAsOneSharedFrame() {
        long saleId = seatedSale();
        open(saleId, VIEWERS);
        await().atMost(Duration.ofSeconds(3)).until(() -> opened.stream().allMatch(v -> v.received.size() >= 2));
        for (LiveViewer viewer : opened) {
            assertEquals("sale", viewer.received.get(0).getString("type"));
            JsonObject map = viewer.received.get(1);
            assertEquals("seats", map.getString("type"));
            assertEquals("0".repeat(SEATS), map.getString("states"));
            assertEquals("0-0", map.getString("changeId"));
        }
        SeatFeed seats = feeds.find(saleId).seats;
        // A viewer opened again (its first frames lost by the client) leaves its first socket closing.
        await().atMost(Duration.ofSeconds(3)).until(() -> seats.size() == VIEWERS);
        long encodedBefore = seats.encoded();
        QueueClient.sleep(600);
        assertTrue(opened.stream().allMatch(v -> v.received.size() == 2), "no frame without a change");

        long pickedAt = System.currentTimeMillis();
        pick(saleId, List.of(12, 13));
        await().atMost(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(10))
                .until(() -> opened.stream().allMatch(v -> seatFrames(v).size() >= 2));
        long lastAt = System.currentTimeMillis();
        QueueClient.sleep(600);
        String changeId = lastChangeId(saleId);
        for (LiveViewer viewer : opened) {
            List<JsonObject> frames = seatFrames(viewer);
            assertEquals(2, frames.size(), "one frame per change: " + viewer.received);
            JsonObject frame = frames.getLast();
            assertEquals("seat-changes", frame.getString("type"));
            assertEquals(new JsonArray().add(new JsonObject().put("state", 1).put("seats", new JsonArray().add(12).add(13))),
                    frame.getJsonArray("changes"));
            assertEquals(changeId, frame.getString("changeId"));
        }
        assertEquals(encodedBefore + 1, seats.encoded(), "the change was encoded once for all " + VIEWERS + " viewers");

        LiveViewer late = open(saleId, 1).getFirst();
        await().atMost(Duration.ofSeconds(3)).until(() -> late.received.size() >= 2);
        JsonObject map = late.received.get(1);
        assertEquals("0".repeat(12) + "11" + "0".repeat(SEATS - 14), map.getString("states"));
        assertEquals(changeId, map.getString("changeId"));
        System.out.printf("LiveSeatMapTest: %d viewers shown a pick within %d ms%n", VIEWERS, lastAt - pickedAt);
    }

    @Test
    void anUnseatedSaleGetsNoSeatFramesAndItsChangesAreNotRead() {
        long saleId = sales.live(10, 1, 600_000);
        sales.withoutWaitingRoom(saleId);
        open(saleId, 3);
        String changes = new SaleKeys(saleId).seatChanges();
        assertEquals(List.of(), RedisMonitor.commandsNaming(changes, 1000), "no reads of an unseated sale's seat changes");

        PurchaseScript.Result bought = new PurchaseScript(reactiveRedis).run(new PurchaseScript.Request(saleId,
                sales.nextUserId(), 2, UUID.randomUUID().toString(), 0, null, null, 60, null)).await().indefinitely();
        assertInstanceOf(PurchaseScript.Result.Accepted.class, bought);
        await().atMost(Duration.ofSeconds(2)).until(() -> opened.stream().allMatch(v -> v.last().getLong("unitsLeft") == 8));
        QueueClient.sleep(500);
        for (LiveViewer viewer : opened) {
            assertTrue(viewer.received.stream().allMatch(frame -> frame.getString("type").equals("sale")),
                    "only sale frames: " + viewer.received);
        }
        assertEquals(Boolean.FALSE, feeds.find(saleId).seated);
    }

    @Test
    void aSeatedSaleWithoutViewersIsNotRead() {
        long saleId = seatedSale();
        LiveViewer viewer = open(saleId, 1).getFirst();
        await().atMost(Duration.ofSeconds(3)).until(() -> viewer.received.size() >= 2);
        String changes = new SaleKeys(saleId).seatChanges();
        assertFalse(RedisMonitor.commandsNaming(changes, 600).isEmpty(), "a viewed seated sale is read");

        viewer.close();
        await().atMost(Duration.ofSeconds(3)).until(() -> feeds.find(saleId) == null);
        assertEquals(List.of(), RedisMonitor.commandsNaming(changes, 1000), "nobody views it: no reads");
    }

    @Test
    void aReaderBehindTheStreamsCapSendsTheWholeMapAgain() {
        long saleId = seatedSale();
        open(saleId, 5);
        await().atMost(Duration.ofSeconds(3)).until(() -> opened.stream().allMatch(v -> v.received.size() >= 2));
        pick(saleId, List.of(12, 13));
        await().atMost(Duration.ofSeconds(1)).until(() -> opened.stream().allMatch(v -> seatFrames(v).size() >= 2));
        SeatFeed seats = feeds.find(saleId).seats;
        long encodedBefore = seats.encoded();

        sellFiftySeatsPastTheCap(saleId);

        await().atMost(Duration.ofSeconds(1)).until(() -> opened.stream().allMatch(v -> seatFrames(v).size() >= 3));
        QueueClient.sleep(500);
        String expected = "0".repeat(12) + "11" + "0".repeat(36) + "2".repeat(50);
        String changeId = lastChangeId(saleId);
        for (LiveViewer viewer : opened) {
            List<JsonObject> frames = seatFrames(viewer);
            assertEquals(3, frames.size(), "one snapshot instead of the lost changes: " + viewer.received);
            JsonObject map = frames.getLast();
            assertEquals("seats", map.getString("type"));
            assertEquals(expected, map.getString("states"));
            assertEquals(changeId, map.getString("changeId"));
        }
        assertEquals(encodedBefore + 1, seats.encoded(), "one snapshot encoded for all viewers");
    }

    @Test
    void aReaderThatSawNoChangeYetAndFellBehindSendsTheWholeMapAgain() {
        long saleId = seatedSale();
        open(saleId, 5);
        await().atMost(Duration.ofSeconds(3)).until(() -> opened.stream().allMatch(v -> seatFrames(v).size() >= 1));
        assertEquals("0-0", seatFrames(opened.getFirst()).getFirst().getString("changeId"));

        sellFiftySeatsPastTheCap(saleId);
        await().atMost(Duration.ofSeconds(1)).until(() -> opened.stream().allMatch(v -> seatFrames(v).size() >= 2));
        QueueClient.sleep(500);
        for (LiveViewer viewer : opened) {
            List<JsonObject> frames = seatFrames(viewer);
            assertEquals(2, frames.size(), "one snapshot instead of the lost changes: " + viewer.received);
            assertEquals("seats", frames.getLast().getString("type"));
            assertEquals("0".repeat(50) + "2".repeat(50), frames.getLast().getString("states"));
            assertEquals(lastChangeId(saleId), frames.getLast().getString("changeId"));
        }
    }

    /**
     * Fifty seats sold in one step, each recorded as pay.lua records a change, into a stream capped at
     * five entries: whatever change the reader continues from is gone before its next read.
     */
    private void sellFiftySeatsPastTheCap(long saleId) {
        SaleKeys keys = new SaleKeys(saleId);
        redis.execute("EVAL", """
                for p = 50, 99 do
                  redis.call('SETRANGE', KEYS[1], p, '2')
                  redis.call('XADD', KEYS[2], 'MAXLEN', '5', '*', 'state', '2', 'seats', tostring(p))
                end
                return 1
                """, "2", keys.seats(), keys.seatChanges());
    }

    /** A live seated sale as the API arms one: seats and layout first (arm_seats.lua), then its meta and stock. */
    private long seatedSale() {
        long saleId = sales.live(SEATS, 1, 600_000);
        sales.withoutWaitingRoom(saleId);
        ArmSeatsScript.Layout layout = new ArmSeatsScript.Layout("0".repeat(SEATS), List.of(SEATS), List.of(2500L),
                Map.of(1, IntStream.range(0, SEATS / 10).map(row -> row * 10).boxed().toList()));
        assertTrue(new ArmSeatsScript(reactiveRedis).run(saleId, layout).await().indefinitely());
        return saleId;
    }

    private void pick(long saleId, List<Integer> positions) {
        PurchaseScript.Result picked = new PurchaseScript(reactiveRedis).run(new PurchaseScript.Request(saleId,
                sales.nextUserId(), positions.size(), UUID.randomUUID().toString(), 0, null, null, 60, null,
                new PurchaseScript.SeatChoice.Exactly(positions))).await().indefinitely();
        assertInstanceOf(PurchaseScript.Result.SeatsHeld.class, picked);
    }

    /** The seat map's frames a viewer got (a pick also changes the units left: the sale frames come too). */
    private static List<JsonObject> seatFrames(LiveViewer viewer) {
        return viewer.received.stream().filter(frame -> frame.getString("type").startsWith("seat")).toList();
    }

    private String lastChangeId(long saleId) {
        return new SeatMapScript(reactiveRedis).run(saleId).await().indefinitely().lastChangeId();
    }

    private boolean seated(long saleId) {
        return redis.key().exists(new SaleKeys(saleId).seatLayout());
    }

    private List<LiveViewer> open(long saleId, int count) {
        List<LiveViewer> now = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // A seated sale's feed opens with two frames: the sale and its map.
            now.add(LiveViewer.open(vertx, url.getPort(), Long.toString(saleId), seated(saleId) ? 2 : 1));
        }
        opened.addAll(now);
        return now;
    }
}
