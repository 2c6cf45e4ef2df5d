package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.sale.SaleKeys;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
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
 * A socket for a sale that is not there (unknown, not armed, armed without a waiting room, over) is
 * told why and closed, and leaves nothing: no Redis key, no queued-sales entry, no room object.
 */
@QuarkusTest
class RefusedSocketsTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Rooms rooms;
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
    void stopTickingTheSales() {
        sales.unqueueArmed();
    }

    @Test
    void socketForAnUnknownSaleIsRefusedAndLeavesNoState() throws Exception {
        long saleId = sales.unknownSaleId();

        Refused refused = open(sales, Long.toString(saleId));

        assertEquals("sale-not-available", refused.error.getString("reason"));
        assertEquals(4404, refused.close.code());
        assertEquals("sale-not-available", refused.close.reason());
        assertNothingLeft(sales, saleId, List.of());
    }

    /**
     * Issue 16: a socket opened before its sale was armed must leave nothing that could keep the sale
     * from admitting once armed (any positive id can be asked for, on purpose too).
     */
    @Test
    void socketForASaleNotArmedYetIsRefusedAndTheSaleAdmitsOnceArmed() throws Exception {
        long saleId = sales.unknownSaleId();

        Refused refused = open(sales, Long.toString(saleId));

        assertEquals("sale-not-available", refused.error.getString("reason"));
        assertEquals(4404, refused.close.code());
        assertEquals("sale-not-available", refused.close.reason());
        assertNothingLeft(sales, saleId, List.of());

        long now = System.currentTimeMillis();
        sales.arm(saleId, now - 1000, now + 3_600_000, 10, 1, 600_000);
        QueueClient first = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        QueueClient second = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        first.await("admitted", Duration.ofSeconds(5));
        second.await("position", Duration.ofSeconds(5));
        QueueClient.sleep(500);
        assertFalse(second.admitted(), "one inside at a time");
        first.leave();
        second.await("admitted", Duration.ofSeconds(5));
        assertTrue(sales.queued(saleId), "the armed sale is ticked by the admission loops");
    }

    @Test
    void socketForASaleArmedWithoutAWaitingRoomIsRefusedAndLeavesNoQueueState() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        sales.withoutWaitingRoom(saleId);
        List<String> armed = sales.keys(saleId);

        Refused refused = open(sales, Long.toString(saleId));

        assertEquals("no-waiting-room", refused.error.getString("reason"));
        assertEquals(4404, refused.close.code());
        assertNothingLeft(sales, saleId, armed);
    }

    @Test
    void socketForAnEndedSaleIsToldAndLeavesNoState() throws Exception {
        long now = System.currentTimeMillis();
        long saleId = sales.arm(now - 7_200_000, now - 3_600_000, 10, 1, 600_000);
        List<String> armed = sales.keys(saleId);

        try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue",
                sales.nextUserId())) {
            RawWebSocket.Close close = socket.awaitClose(5000);
            assertEquals(1000, close.code());
            assertEquals("closed", new JsonObject(socket.texts.getLast()).getString("type"));
            assertEquals("ended", new JsonObject(socket.texts.getLast()).getString("reason"));
        }
        assertNothingLeft(sales, saleId, armed);
    }

    @Test
    void socketWithANonCanonicalSaleIdIsRefusedAndJoinsNothing() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        List<String> armed = sales.keys(saleId);

        for (String path : List.of("0" + saleId, "+" + saleId, "0", "-" + saleId, "abc", "99999999999999999999")) {
            Refused refused = open(sales, path);
            assertEquals("bad-sale-id", refused.error.getString("reason"), path);
            assertEquals(4400, refused.close.code(), path);
        }
        assertNothingLeft(sales, saleId, armed);
    }

    private record Refused(JsonObject error, RawWebSocket.Close close) {
    }

    private Refused open(QueueSales sales, String saleIdText) throws Exception {
        try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleIdText + "/queue",
                sales.nextUserId())) {
            RawWebSocket.Close close = socket.awaitClose(5000);
            assertEquals(1, socket.texts.size(), "one error frame, then the close: " + socket.texts);
            return new Refused(new JsonObject(socket.texts.getFirst()), close);
        }
    }

    private void assertNothingLeft(QueueSales sales, long saleId, List<String> armedKeys) {
        QueueClient.sleep(300); // the close runs after the client saw it
        assertEquals(armedKeys, sales.keys(saleId), "no key under " + new SaleKeys(saleId).tag() + " but what arming wrote");
        assertFalse(sales.queued(saleId), "not in the queued-sales set");
        assertNull(rooms.find(saleId), "no room for the sale");
    }
}
