package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.LogCapture;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each socket may send frame-burst (10) frames at once and frames-per-second (2) after that; a
 * client that floods is closed with 1008 and one log line, one that stays within keeps its socket.
 */
@QuarkusTest
class InboundFramesTest {

    @Inject
    RedisDataSource redis;
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
    void aClientThatFloodsTextFramesIsClosedAsAPolicyViolation() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue",
                sales.nextUserId());
                LogCapture logs = LogCapture.start()) {
            socket.readTextFrames(2, 5000);
            for (int i = 0; i < 500; i++) {
                socket.sendText("{\"type\":\"hello\"}");
            }
            RawWebSocket.Close close = socket.awaitClose(5000);
            assertNotNull(close);
            assertEquals(1008, close.code());
            assertEquals("too-many-messages", close.reason());
            assertEquals("too-many-messages", new JsonObject(socket.texts.getLast()).getString("reason"));
            assertTrue(socket.texts.size() <= 11, "at most the burst was answered: " + socket.texts.size());
            QueueClient.sleep(200);
            assertEquals(1, logs.from("io.miaosha.gateway.queue.ClientFrames").size(), logs.describe());
            assertTrue(logs.withStackTraces().isEmpty(), logs.describe());
        }
    }

    @Test
    void aClientThatFloodsPingsIsClosedToo() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue",
                sales.nextUserId())) {
            socket.readTextFrames(2, 5000);
            socket.sendFrame(0x89, new byte[] {1}, true);
            socket.readTextFrames(1, 500);
            assertEquals(1, socket.pongs, "a ping is answered");
            for (int i = 0; i < 500; i++) {
                socket.sendFrame(0x89, new byte[] {1}, true);
            }
            RawWebSocket.Close close = socket.awaitClose(5000);
            assertNotNull(close);
            assertEquals(1008, close.code());
        }
    }

    @Test
    void aClientWithinTheAllowanceKeepsItsSocketAndCanStillLeave() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        long user = sales.nextUserId();
        try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue", user);
                LogCapture logs = LogCapture.start()) {
            socket.readTextFrames(2, 5000);
            for (int i = 0; i < 10; i++) {
                socket.sendText("{\"type\":\"hello\"}");
            }
            QueueClient.sleep(1000);
            socket.sendText("{\"type\":\"leave\"}");
            RawWebSocket.Close close = socket.awaitClose(5000);
            assertEquals(1000, close.code(), "closed by the leave, not by the limit: " + socket.texts);
            assertEquals(10, socket.texts.stream().filter(t -> t.contains("unknown-message")).count());
            assertEquals("left", new JsonObject(socket.texts.getLast()).getString("reason"));
            assertNull(sales.ticket(saleId, user));
            assertTrue(logs.records.stream().noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()),
                    logs.describe());
        }
    }
}
